package io.jemq.dashboard;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.logging.Level;

/**
 * Debian's chromium, headless, driven through Debian's chromedriver (never a downloaded one: the binaries are given,
 * so Selenium Manager is not asked), at 1280×800, with the browser's console log kept for the "no console errors"
 * checks. One per test class.
 */
final class Browser implements AutoCloseable {
    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final Path SHOTS = Path.of("target", "screenshots");

    final ChromeDriver driver;

    Browser() {
        if (!Files.isExecutable(Path.of(CHROMIUM)) || !Files.isExecutable(Path.of(CHROMEDRIVER))) {
            // skipped, the dashboard's tests would pass unseen
            throw new AssertionError("chromium and chromium-driver (Debian packages) are needed: run-tests.sh "
                    + "installs them");
        }
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,800", "--no-first-run", "--disable-extensions");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
    }

    void open(String url) {
        driver.get(url);
    }

    WebElement find(String css) {
        return waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    void type(String css, String text) {
        WebElement e = find(css);
        e.clear();
        e.sendKeys(text);
    }

    void click(String css) {
        waitFor().until(ExpectedConditions.elementToBeClickable(By.cssSelector(css))).click();
    }

    /** Clicks the element the XPath finds, as soon as it is there (found again if the page redrew it). */
    void clickXpath(String xpath) {
        waitFor().until(d -> {
            d.findElement(By.xpath(xpath)).click();
            return true;
        });
    }

    /** Waits until the element's text satisfies {@code test}; returns the text. */
    String awaitText(String css, Predicate<String> test) {
        return waitFor().until(d -> {
            List<WebElement> found = d.findElements(By.cssSelector(css));
            String text = found.isEmpty() ? null : found.get(0).getText();
            return text != null && test.test(text) ? text : null;
        });
    }

    WebDriverWait waitFor() {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(15));
        wait.ignoring(StaleElementReferenceException.class);              // a page redraws its table after a change
        return wait;
    }

    /** The console's SEVERE entries since the last call (the log is read, and so emptied). */
    List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage).toList();
    }

    void screenshot(String name) {
        try {
            Files.createDirectories(SHOTS);
            File f = driver.getScreenshotAs(OutputType.FILE);
            Files.copy(f.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void size(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    @Override
    public void close() {
        driver.quit();
    }
}
