package dev.mpchannel.webconsole;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The tab for Web Console 5 (Jakarta Servlet). Only GET is served: the tab is read-only, so every other method is
 * answered 405 by {@link HttpServlet}. Loaded only when {@code jakarta.servlet} is wired ({@link ConsolePlugin}).
 */
final class JakartaPluginServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient PluginContent content;

    JakartaPluginServlet(PluginContent content) {
        this.content = content;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object root = request.getAttribute(PluginContent.PLUGIN_ROOT_ATTRIBUTE);
        PluginContent.Answer answer = content.get(request.getPathInfo(), root != null ? root.toString()
                : request.getContextPath() + request.getServletPath() + "/" + ConsolePlugin.LABEL);
        // Inside the console's frame (the page) the console has already committed its header: these are no-ops then.
        response.setStatus(answer.status());
        response.setCharacterEncoding("UTF-8");
        response.setContentType(answer.contentType());
        answer.headers().forEach(response::setHeader);
        response.getWriter().write(answer.body());
    }
}
