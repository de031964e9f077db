package dev.mpchannel.itests.webconsole;

import java.nio.file.Path;
import org.htmlunit.BrowserVersion;
import org.htmlunit.DefaultCredentialsProvider;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlPage;

/** HtmlUnit, a browser in Java (its own JavaScript engine, no rendering): where Chromium is not installed. */
final class HtmlUnitTab implements TabBrowser {
    private final WebClient client = new WebClient(BrowserVersion.CHROME);
    private HtmlPage page;

    HtmlUnitTab() {
        client.getOptions().setCssEnabled(false);
        // the console's own scripts (jQuery UI and its plugins) are not this test's subject; what the tab's script
        // draws is checked in the page itself
        client.getOptions().setThrowExceptionOnScriptError(false);
    }

    @Override
    public void open(String url, String user, String password) throws Exception {
        DefaultCredentialsProvider credentials = new DefaultCredentialsProvider();
        credentials.addCredentials(user, password.toCharArray());
        client.setCredentialsProvider(credentials);
        page = client.getPage(url);
    }

    @Override
    public String run(String script) {
        Object result = page.executeJavaScript(script).getJavaScriptResult();
        return result == null ? null : result.toString();
    }

    @Override
    public boolean screenshot(Path file) {
        return false;
    }

    @Override
    public String name() {
        return "HtmlUnit (chromedriver is not installed: apt-get install chromium chromium-driver for the real"
                + " browser)";
    }

    @Override
    public void close() {
        client.close();
    }
}
