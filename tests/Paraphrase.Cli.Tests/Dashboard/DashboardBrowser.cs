using Microsoft.Playwright;

namespace Paraphrase.Cli.Tests.Dashboard;

/// <summary>
/// Headless Chromium for the dashboard tests: the system's browser (Debian's chromium package, which .ci/run and
/// test.sh install), driven by Playwright, which downloads no browser of its own. One browser per test class; each test
/// opens pages in a context of its own (its own session storage). Screenshots go to the test output directory.
/// </summary>
public sealed class DashboardBrowser : IAsyncLifetime
{
    /// <summary>Where Debian puts Chromium; PARAPHRASE_TEST_CHROMIUM overrides it.</summary>
    public static string Executable => Environment.GetEnvironmentVariable("PARAPHRASE_TEST_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>The screenshots of the main pages, kept after the run as test artifacts.</summary>
    public static string ScreenshotDirectory => Path.Combine(AppContext.BaseDirectory, "dashboard-screenshots");

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"The dashboard tests need Chromium at {Executable}: install Debian's chromium package (apt-get install chromium); .ci/run and test.sh do it.");
        }

        // Generous bounds: pages wait for a host that trains on two cores, never for a fixed time.
        Assertions.SetDefaultExpectTimeout(60_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }

    /// <summary>A page in a fresh context (no session storage shared with other tests), recording what the page logs as errors.</summary>
    public async Task<DashboardPage> OpenAsync(string url)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(60_000);
        var page = await context.NewPageAsync();
        var result = new DashboardPage(context, page);
        await page.GotoAsync(url);
        return result;
    }
}

/// <summary>One dashboard tab, with the errors it logged (failed loads aside: 401 and 404 answers are part of the tests).</summary>
public sealed class DashboardPage : IAsyncDisposable
{
    private readonly List<string> _errors = [];

    public DashboardPage(IBrowserContext context, IPage page)
    {
        (Context, Page) = (context, page);
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                lock (_errors)
                {
                    _errors.Add(message.Text);
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (_errors)
            {
                _errors.Add(error);
            }
        };
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>Script errors and policy violations (e.g. a blocked inline style) the page reported.</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    /// <summary>Saves the whole page, or its top <paramref name="height"/> pixels, as dashboard-screenshots/<paramref name="name"/>.png.</summary>
    public async Task ScreenshotAsync(string name, int? height = null)
    {
        Directory.CreateDirectory(DashboardBrowser.ScreenshotDirectory);
        await Page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(DashboardBrowser.ScreenshotDirectory, name + ".png"), FullPage = true,
            Clip = height is int h ? new Clip { X = 0, Y = 0, Width = Page.ViewportSize!.Width, Height = h } : null,
        });
    }

    // How many pixels of a canvas have a colour (within a small distance): a series drawn in that colour, not just the
    // axes and grid, which are grey.
    private const string CountPixels = """
        ([selector, colour]) => {
          const canvas = document.querySelector(selector);
          if (!canvas || !canvas.width || !canvas.height) return 0;
          const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
          const [r, g, b] = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));
          let count = 0;
          for (let i = 0; i < data.length; i += 4) {
            if (data[i + 3] > 200 && Math.abs(data[i] - r) < 30 && Math.abs(data[i + 1] - g) < 30 && Math.abs(data[i + 2] - b) < 30) count++;
          }
          return count;
        }
        """;

    /// <summary>How many pixels of the canvas under <paramref name="selector"/> have <paramref name="colour"/> (#rrggbb).</summary>
    public Task<int> PixelsOfColourAsync(string selector, string colour) => Page.EvaluateAsync<int>(CountPixels, new[] { selector, colour });

    /// <summary>Waits until the canvas under <paramref name="selector"/> shows at least <paramref name="minimum"/> pixels of <paramref name="colour"/>.</summary>
    public async Task WaitForDrawnAsync(string selector, string colour, int minimum = 20)
    {
        try
        {
            await Page.WaitForFunctionAsync($"(args) => ({CountPixels})(args) >= {minimum}", new[] { selector, colour },
                new PageWaitForFunctionOptions { Timeout = 60_000, PollingInterval = 200 });
        }
        catch (PlaywrightException)
        {
            Assert.Fail($"{selector} drew {await PixelsOfColourAsync(selector, colour)} pixels of {colour} within a minute; expected at least {minimum}.");
        }
    }

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}
