package dev.ferry.tests.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.tests.trace.EmulatedFerryAccess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web view in a real browser (headless Chromium through Selenium) against Ferry with two
 * emulated switches and two tenants: what a tenant logs in to and sees. Screenshots go to
 * target/ui-screenshots for review. Skipped, saying why, when Chromium is not installed.
 */
class WebUiBrowserTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SHOTS = Path.of("target/ui-screenshots");
  static final Duration WAIT = Duration.ofSeconds(15);

  @TempDir
  Path dir;
  EmulatedFerryAccess ferry;
  WebDriver browser;
  WebDriverWait wait;

  @BeforeEach
  void start() throws IOException {
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
        "browser tests skipped: install Debian's chromium and chromium-driver (see .ci/run)");
    ferry = EmulatedFerryAccess.start(dir.resolve("ferry"));
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toString());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-dev-shm-usage", "--window-size=1400,1000",
        "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
    wait = new WebDriverWait(browser, WAIT);
    Files.createDirectories(SHOTS);
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (ferry != null) {
      ferry.close();
    }
  }

  @Test
  void aTenantSeesOnlyItsTenantTheTopologyTracesAndNewPortsWithoutAReload() throws IOException {
    browser.get(ferry.url() + "/");
    assertTrue(browser.getCurrentUrl().endsWith("/ui/"), "GET / leads to the web view: " + browser.getCurrentUrl());
    browser.findElement(By.id("login-token")).sendKeys(ferry.blueToken());
    browser.findElement(By.id("login-button")).click();
    awaitVisible("#ports tbody tr[data-name='b1']");
    shot("1-tenant-overview");

    // only blue: one tenant, its network, its ports; green's g1 (same IP on the same host) absent
    assertEquals(List.of("blue"), texts("#tenants tbody tr td:first-child"));
    assertEquals(List.of("blue-net"), texts("#networks tbody tr td:first-child"));
    assertEquals(List.of("b1", "b2"), texts("#ports tbody tr td:first-child").stream().sorted().toList());
    assertFalse(browser.getPageSource().contains("green"), "the page mentions the other tenant");
    assertTrue(browser.findElement(By.cssSelector("#ports tr[data-name='b1']")).getText().contains("bound"));

    // topology: both hosts, the tunnel between them carrying blue-net
    browser.findElement(By.cssSelector("nav a[data-tab='topology']")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#topology svg")));
    assertEquals(2, browser.findElements(By.cssSelector("#topology g.host")).size());
    assertEquals(1, browser.findElements(By.cssSelector("#topology g.host[data-host='h1']")).size());
    assertEquals(1, browser.findElements(By.cssSelector("#topology g.host[data-host='h2']")).size());
    assertEquals(1, browser.findElements(By.cssSelector("#topology path.tunnel[data-hosts='h1|h2']")).size());
    assertTrue(browser.findElement(By.cssSelector("#topology text.tunnel-label")).getText().contains("blue-net (vni 100)"));
    assertEquals(1, browser.findElements(By.cssSelector("#topology line.uplink")).size(), "b1's way out");
    assertTrue(browser.findElement(By.id("topology")).getText().contains("floating 203.0.113.10"));
    shot("2-tenant-topology");

    // the trace form answers hop by hop
    browser.findElement(By.cssSelector("nav a[data-tab='trace']")).click();
    new Select(browser.findElement(By.id("trace-from"))).selectByVisibleText("b1 (blue-net)");
    new Select(browser.findElement(By.id("trace-to-port"))).selectByVisibleText("b2 (blue-net)");
    browser.findElement(By.id("trace-submit")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("trace-verdict"), "delivered"));
    assertEquals("delivered to port b2 on h2 (allowed by security group 'default': any ingress from group 'default')", browser.findElement(By.id("trace-verdict")).getText());
    List<String> hosts = texts("#trace-hops tbody tr td:first-child");
    // every hop of h1's pipeline, then h2's (how many tables each is the pipeline's business)
    assertEquals(List.of("h1", "h2"), hosts.stream().distinct().toList(), hosts.toString());
    assertEquals(hosts.stream().sorted().toList(), hosts, "h1's hops all come before h2's");
    shot("3-tenant-trace");
    browser.findElement(By.id("trace-to-port")).sendKeys("(by address)");
    new Select(browser.findElement(By.id("trace-to-port"))).selectByValue("");
    browser.findElement(By.id("trace-to-ip")).sendKeys("10.1.1.3");
    browser.findElement(By.id("trace-src-ip")).sendKeys("10.1.1.9");
    browser.findElement(By.id("trace-submit")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("trace-verdict"), "port_security"));
    assertEquals("dropped in port_security on h1: source 10.1.1.9 is not port b1's address (10.1.1.2)",
        browser.findElement(By.id("trace-verdict")).getText());
    shot("4-tenant-trace-spoofed");

    // a port created through REST appears without a reload, pushed by the event stream (the
    // page polls only when the stream fails)
    browser.findElement(By.cssSelector("nav a[data-tab='overview']")).click();
    awaitVisible("body[data-updates='events']");
    ferry.createBluePort("b3", "h1", "s1-eth3");
    WebElement b3 = wait.until(ExpectedConditions.visibilityOfElementLocated(
        By.cssSelector("#ports tbody tr[data-name='b3']")));
    wait.until(ExpectedConditions.textToBePresentInElement(b3, "bound"));
    shot("5-tenant-new-port");
  }

  @Test
  void withoutServerSentEventsThePageFallsBackToPolling() {
    browser.get(ferry.url() + "/ui/");
    // a browser (or proxy) where event streams fail: every EventSource errors at once
    ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
        "window.EventSource = class { constructor() { setTimeout(() => this.onerror && this.onerror(), 0); }"
        + " addEventListener() {} close() {} };");
    browser.findElement(By.id("login-token")).sendKeys(ferry.blueToken());
    browser.findElement(By.id("login-button")).click();
    awaitVisible("body[data-updates='polling']");
    ferry.createBluePort("b4", "h1", "s1-eth4");
    awaitVisible("#ports tbody tr[data-name='b4']");
  }

  @Test
  void theAdminSeesHostsAndASwitchsNamedFlowsWithCounters() throws IOException {
    browser.get(ferry.url() + "/ui/");
    browser.findElement(By.id("login-token")).sendKeys(ferry.adminToken());
    browser.findElement(By.id("login-button")).click();
    awaitVisible("#hosts tbody tr[data-name='h2']");
    assertTrue(browser.findElement(By.cssSelector("#hosts tr[data-name='h1']")).getText().contains("connected"));
    // the switches hold the model's version (the fixture's writes waited for them)
    wait.until(ExpectedConditions.textToBePresentInElementLocated(
        By.cssSelector("#hosts tr[data-name='h1'] td.installed"), "(current)"));
    assertEquals(List.of("blue", "green"), texts("#tenants tbody tr td:first-child").stream().sorted().toList());
    browser.findElement(By.cssSelector("nav a[data-tab='topology']")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("topology"), "floating 203.0.113.10"));
    assertTrue(browser.findElement(By.id("topology")).getText().contains("green-net vni 200"));
    shot("6-admin-topology");
    browser.findElement(By.cssSelector("nav a[data-tab='overview']")).click();
    shot("6-admin-overview");
    browser.findElement(By.cssSelector("nav a[data-tab='flows']")).click();
    browser.findElement(By.id("flows-port")).sendKeys("b1");
    browser.findElement(By.id("flows-show")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("flows"), "classify:port=b1"));
    assertTrue(browser.findElements(By.cssSelector("#flows tbody td.packets")).size() >= 2);
    shot("7-admin-flows");
  }

  /** Waits for an element; on timeout says what the page showed (its status line, errors). */
  private WebElement awaitVisible(String css) {
    try {
      return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("no " + css + "; page said: who=" + text("#who") + " updated="
          + text("#updated") + " login-error=" + text("#login-error"), e);
    }
  }

  private String text(String css) {
    return browser.findElements(By.cssSelector(css)).stream().map(WebElement::getText)
        .findFirst().orElse("(absent)");
  }

  private List<String> texts(String css) {
    return browser.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList();
  }

  private void shot(String name) throws IOException {
    Path png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(png, SHOTS.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }
}
