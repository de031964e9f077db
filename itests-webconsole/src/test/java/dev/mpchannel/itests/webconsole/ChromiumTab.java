package dev.mpchannel.itests.webconsole;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven by its chromedriver through Selenium. Both paths are given, so Selenium Manager
 * never downloads anything; the profile is a fresh temp directory, removed on close.
 */
final class ChromiumTab implements TabBrowser {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final Path profile;
    private final ChromeDriver driver;

    ChromiumTab() throws Exception {
        profile = Files.createTempDirectory("mpchannel-webconsole-chromium-");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toString()).addArguments(
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                // this machine's network is closed: no background connections, updates or sync to fail at
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-quic", "--window-size=1280,1200", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
    }

    static boolean installed() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    @Override
    public void open(String url, String user, String password) {
        // credentials in the URL: Chromium sends them and keeps them for the page's own requests to that origin
        driver.get(url.replaceFirst("^http://", "http://" + user + ":" + password + "@"));
    }

    @Override
    public String run(String script) {
        return (String) ((JavascriptExecutor) driver).executeScript("return " + script);
    }

    @Override
    public boolean screenshot(Path file) throws Exception {
        Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.copy(shot, file, StandardCopyOption.REPLACE_EXISTING);
        Files.deleteIfExists(shot);
        return true;
    }

    @Override
    public String name() {
        return "headless Chromium (" + CHROMIUM + ", " + CHROMEDRIVER + ")";
    }

    @Override
    public void close() throws Exception {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> all = Files.walk(profile)) {
                all.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
