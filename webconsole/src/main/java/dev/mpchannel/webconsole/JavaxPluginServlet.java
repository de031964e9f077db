package dev.mpchannel.webconsole;

import java.io.IOException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * The tab for Web Console 4.x (javax Servlet 3.1 or 4.0, as in Karaf 4.4); the same as {@link JakartaPluginServlet}
 * on the other API. Loaded only when {@code javax.servlet} is wired and no Web Console 5 is installed
 * ({@link ConsolePlugin}).
 */
final class JavaxPluginServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient PluginContent content;

    JavaxPluginServlet(PluginContent content) {
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
