using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Paraphrase.Cli.Tests.Pipeline;
using Paraphrase.Pipeline.Api;
using Paraphrase.Testing;

namespace Paraphrase.Cli.Tests.Dashboard;

/// <summary>
/// The dashboard in a real headless Chromium against a real <c>paraphrase host</c> on Azurite, training the tiny model:
/// the runs table following a run, the run page's charts and results, promotion by hand, rollback, the "try it" box,
/// and the API key. Every wait is for a condition, with a generous bound; none depends on how fast the machine is.
/// </summary>
[Collection(PipelineOnAzurite.Name)]
public sealed class DashboardTests(AzuriteFixture azurite, DashboardBrowser browser) : PipelineScenario(azurite), IClassFixture<DashboardBrowser>
{
    private const string OneEpoch = """{"training": {"epochs": 1, "maxLength": 64}}""";

    // The series colours of charts.js.
    private const string Blue = "#1f5fbf", Green = "#2e7d32";

    // Records each state the runs table shows for a dataset's row, as the page changes it (no polling from here).
    private const string RecordRowStates = """
        (prefix) => {
          window.dashboardLoaded ??= true;
          window.rowStates = [];
          const record = () => {
            const row = document.querySelector(`tr[data-run-id^="${prefix}"]`);
            if (!row) return;
            const state = `${row.querySelector('[data-field="status"]').textContent}|${row.querySelector('[data-field="stage"]').textContent}`;
            if (window.rowStates[window.rowStates.length - 1] !== state) window.rowStates.push(state);
          };
          new MutationObserver(record).observe(document.getElementById("runs-table"), { subtree: true, childList: true, characterData: true });
          record();
        }
        """;

    [Fact]
    public async Task TheDashboardFollowsARunDrawsItsChartsAndPromotesRollsBackAndAnswers()
    {
        // A host without a trainer worker of its own: the run waits for one at its second stage until the test starts it.
        await using var host = await HostAsync();
        var client = PipelineApiClient.Create(host.Url, null);
        using var http = new HttpClient { BaseAddress = new Uri(host.Url) };
        await using var tab = await browser.OpenAsync(host.Url + "/");
        var page = tab.Page;
        await page.Locator("#runs-summary").Filter(new() { HasTextRegex = new Regex("running") }).WaitForAsync();
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.Locator("#skip-link")).ToBeFocusedAsync();
        await page.EvaluateAsync(RecordRowStates, "dash-a-");

        // The runs table fills in as the run goes through its stages, without a reload: first waiting for a worker, then,
        // once one is started, on to the end. (A few hundred pairs give the loss curve some shape.)
        await UploadAsync("dash-a", Files("dash-a", 320, 32, OneEpoch));
        string first = await RunOfAsync(client, "dash-a", host);
        var row = page.Locator($"tr[data-run-id='{first}']");
        await row.Locator("[data-field='stage']").Filter(new() { HasText = "prepare-base-model" }).WaitForAsync(new() { Timeout = 120_000 });
        await Assertions.Expect(row.Locator("[data-field='status']")).ToHaveTextAsync("Running");
        await Assertions.Expect(row.Locator("progress")).ToBeVisibleAsync();
        await tab.ScreenshotAsync("runs-live");

        // While it waits: another run of the same dataset started from the form (force: a new seed), then terminated.
        await page.Locator("nav a", new() { HasText = "Start a run" }).ClickAsync();
        await AllControlsAreLabelledAsync(page);
        await page.Locator("#start-dataset").FillAsync("dash-a");
        await page.Locator("#start-training").FillAsync("""{"epochs": 1, "maxLength": 64}""");
        await page.Locator("#start-force").CheckAsync();
        await page.Locator("#start-form button[type='submit']").ClickAsync();
        await page.WaitForURLAsync(new Regex("#/runs/dash-a-"));
        string forced = Regex.Match(page.Url, "#/runs/(?<id>[a-z0-9-]+)$").Groups["id"].Value;
        Assert.NotEqual(first, forced);
        await page.Locator("button", new() { HasText = "Terminate run…" }).ClickAsync();
        await page.Locator("button", new() { HasText = "Yes, terminate" }).ClickAsync();
        await Assertions.Expect(page.Locator("#run-summary .badge").First).ToHaveTextAsync("Terminated");
        await Assertions.Expect(page.Locator("#run-error")).ToContainTextAsync("terminated");

        // Back to the table, which still follows the first run once a worker takes its jobs.
        await page.Locator("nav a", new() { HasText = "Runs" }).ClickAsync();
        await row.WaitForAsync();
        await page.EvaluateAsync(RecordRowStates, first);
        await using var worker = await WorkerAsync();
        await row.Locator("[data-field='status']").Filter(new() { HasText = "Completed" }).WaitForAsync(new() { Timeout = 360_000 });
        var firstRun = await client.GetAsync(first);
        Assert.True(firstRun!.RuntimeStatus == "Completed", $"{firstRun.Error?.Message}\n{Logs(host, worker)}");
        var states = await page.EvaluateAsync<string[]>("() => window.rowStates");
        Assert.True(await page.EvaluateAsync<bool>("() => window.dashboardLoaded === true"), "the page reloaded");
        Assert.Contains("Running|prepare-base-model", states);
        Assert.Equal("Completed|done", states[^1]);
        await Assertions.Expect(row.Locator("[data-field='metrics']")).ToHaveTextAsync(new Regex(@"^\d\.\d{3} / \d\.\d{3}$"));
        await tab.ScreenshotAsync("runs");

        // The run page: timeline, both charts drawn, results, lineage and files.
        await row.Locator("a").ClickAsync();
        await page.Locator("#timeline li[data-state='done']").Nth(6).WaitForAsync();
        await tab.WaitForDrawnAsync("#loss-chart canvas", Blue);
        await tab.WaitForDrawnAsync("#epoch-chart canvas", Green);
        await Assertions.Expect(page.Locator("#confusion td[data-count]")).ToHaveCountAsync(4);
        await Assertions.Expect(page.Locator("#evaluation")).ToContainTextAsync("passed");
        await Assertions.Expect(page.Locator("#parity")).ToContainTextAsync("Largest logit difference");
        await Assertions.Expect(page.Locator("#artifacts a[data-artifact='report.md']")).ToBeVisibleAsync();
        await tab.ScreenshotAsync("run-overview", height: 1400);
        await page.Locator("#artifacts a[data-artifact='report.md']").ClickAsync();
        await Assertions.Expect(page.Locator("#artifact-viewer pre")).ToContainTextAsync("#");
        await Assertions.Expect(page.Locator("#artifact-viewer h2")).ToBeFocusedAsync();
        await tab.ScreenshotAsync("run");
        await RunArtifactsAnswerAsync(http, first);

        // A second run that the gate rejects (a margin no model can meet), then promoted by hand from the champion page.
        await UploadAsync("dash-b", Files("dash-b", 48, 16, """{"training": {"epochs": 1, "maxLength": 64}, "promotion": {"metric": "accuracy", "margin": 1.0}}"""));
        string second = await RunOfAsync(client, "dash-b", host, worker);
        var secondRun = await CompletionAsync(client, second, host, worker);
        Assert.True(secondRun.RuntimeStatus == "Completed" && !secondRun.Output!.Promoted, $"{secondRun.Output?.Reason}{secondRun.Error?.Message}\n{Logs(host, worker)}");
        string? before = (await client.ChampionAsync()).Current?.RunId;
        Assert.NotNull(before);

        await page.GotoAsync($"{host.Url}/#/runs/{second}");
        await page.Locator("a", new() { HasText = "Promote this run by hand" }).ClickAsync();
        await Assertions.Expect(page.Locator("#promote-run")).ToHaveValueAsync(second);
        await page.Locator("#promote-by").FillAsync("Dana Tester");
        await page.Locator("#promote-reason").FillAsync("the margin is too strict for this dataset");
        await page.Locator("#promote-submit").ClickAsync();
        await Assertions.Expect(page.Locator("#promote-form .notice.ok")).ToContainTextAsync($"Promoted: {second}");
        await Assertions.Expect(page.Locator("#champion-run")).ToHaveTextAsync(second);
        await Assertions.Expect(page.Locator(".history-table tbody tr").First).ToContainTextAsync("Dana Tester");
        await tab.WaitForDrawnAsync("#history-chart canvas", Blue);
        var promoted = (await client.ChampionAsync()).History[^1];
        Assert.Equal(("promoted", second, "Dana Tester", before), (promoted.Action, promoted.RunId, promoted.By, promoted.PreviousChampion));
        Assert.Contains("the margin is too strict", promoted.Reason);
        await ManualPromotionRefusesAsync(http, second);

        // Rollback from the champion page.
        await AllControlsAreLabelledAsync(page);
        await Assertions.Expect(page.Locator("#rollback-target")).ToContainTextAsync(before);
        await page.Locator("#rollback-by").FillAsync("Dana Tester");
        await page.Locator("#rollback-submit").ClickAsync();
        await Assertions.Expect(page.Locator("#rollback-form .notice.ok")).ToContainTextAsync($"Rolled back: {before}");
        await Assertions.Expect(page.Locator("#champion-run")).ToHaveTextAsync(before);
        Assert.Equal(("rollback", before), ((await client.ChampionAsync()).History[^1].Action, (await client.ChampionAsync()).Current?.RunId));
        await tab.ScreenshotAsync("champion");

        // The try-it box, once the host serves a model.
        await WaitForAsync("a model to be served", async () => (await http.GetFromJsonAsync<JsonObject>("/api/health"))!["ready"]!.GetValue<bool>(), () => host.Log);
        await page.Locator("nav a", new() { HasText = "Try it" }).ClickAsync();
        await page.Locator("#try-submit").ClickAsync();
        await Assertions.Expect(page.Locator("#try-label")).ToHaveTextAsync(new Regex("^(Paraphrase|Not a paraphrase)$"));
        await Assertions.Expect(page.Locator("#try-probability")).ToHaveTextAsync(new Regex(@"^\d{1,3}\.\d %$"));
        await tab.ScreenshotAsync("try");

        Assert.True(tab.Errors.Count == 0, string.Join("\n", tab.Errors));
    }

    [Fact]
    public async Task AWrongKeyShowsAClearMessageAndTheRightKeyIsKeptForTheTab()
    {
        await using var host = await PipelineProcess.StartHostWithApiKeyAsync(Azurite.ConnectionString, Data, "right-key");
        using var http = new HttpClient { BaseAddress = new Uri(host.Url) };

        // The page itself needs no key (it holds no data); every API call it makes does.
        var pageResponse = await http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, pageResponse.StatusCode);
        Assert.Equal("text/html", pageResponse.Content.Headers.ContentType?.MediaType);
        Assert.Contains("script-src 'self'", pageResponse.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/dashboard/vendor/uplot/uPlot.iife.min.js")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/dashboard/nothing.js")).StatusCode);
        var anonymous = new[]
        {
            await http.GetAsync("/api/pipeline/runs/any-000000000000/artifacts"),
            await http.GetAsync("/api/pipeline/runs/any-000000000000/artifacts/report.md"),
            await http.PostAsJsonAsync("/api/pipeline/champion/promote", new { runId = "any-000000000000", by = "x", reason = "y" }),
        };
        Assert.All(anonymous, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.All(anonymous, r => Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType));
        using var openApi = new HttpRequestMessage(HttpMethod.Get, "/openapi.json") { Headers = { { "X-API-Key", "right-key" } } };
        string document = await (await http.SendAsync(openApi)).Content.ReadAsStringAsync();
        foreach (string path in new[] { "/api/pipeline/runs/{id}/artifacts", "/api/pipeline/runs/{id}/artifacts/{path}", "/api/pipeline/champion/promote" })
        {
            Assert.Contains($"\"{path}\"", document, StringComparison.Ordinal);
        }

        await using var tab = await browser.OpenAsync(host.Url + "/");
        var page = tab.Page;
        var message = page.Locator("#key-message");
        await Assertions.Expect(message).ToContainTextAsync("needs an API key");
        await Assertions.Expect(page.Locator("#key-input")).ToBeFocusedAsync();

        await page.Locator("#key-input").FillAsync("wrong-key");
        await page.Locator("#key-input").PressAsync("Enter");
        await Assertions.Expect(message).ToContainTextAsync("The API key was not accepted (401 Unauthorized)");
        await Assertions.Expect(page.Locator("#key-panel")).ToBeVisibleAsync();
        await tab.ScreenshotAsync("wrong-key");

        await page.Locator("#key-input").FillAsync("right-key");
        await page.Locator("#key-form button[type='submit']").ClickAsync();
        await Assertions.Expect(page.Locator("#key-panel")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#runs-summary")).ToContainTextAsync("running");
        Assert.DoesNotContain("key", page.Url, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("right-key", await page.EvaluateAsync<string>("() => sessionStorage.getItem('paraphrase.apiKey')"));

        // Kept for the tab: a reload does not ask again.
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#runs-summary")).ToContainTextAsync("running");
        await Assertions.Expect(page.Locator("#key-panel")).ToBeHiddenAsync();

        // The API's refusals reach the page as they are: a dataset that does not exist cannot start a run.
        await page.Locator("nav a", new() { HasText = "Start a run" }).ClickAsync();
        await Assertions.Expect(page.Locator("main h1")).ToBeFocusedAsync();
        await page.Locator("#start-dataset").FillAsync("no-such-dataset");
        await page.Locator("#start-form button[type='submit']").ClickAsync();
        await Assertions.Expect(page.Locator("main .notice.error")).ToContainTextAsync("Cannot start a run");
        await Assertions.Expect(page.Locator("main .notice.error")).ToContainTextAsync("HTTP 400");
        Assert.True(tab.Errors.Count == 0, string.Join("\n", tab.Errors));
    }

    /// <summary>Every input, select and text area on the page has a label that names it.</summary>
    private static async Task AllControlsAreLabelledAsync(IPage page)
    {
        string[] unlabelled = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll("main input, main select, main textarea, #key-panel input")]
              .filter((c) => c.labels.length === 0 || [...c.labels].every((l) => !l.textContent.trim()))
              .map((c) => c.id || c.name)
            """);
        Assert.True(unlabelled.Length == 0, $"controls without a label: {string.Join(", ", unlabelled)}");
    }

    /// <summary>The artifact endpoints: a listing, content types, downloads, 404s and paths outside the run refused.</summary>
    private static async Task RunArtifactsAnswerAsync(HttpClient http, string runId)
    {
        var listing = (await http.GetFromJsonAsync<JsonObject>($"/api/pipeline/runs/{runId}/artifacts"))!;
        var paths = listing["files"]!.AsArray().Select(f => (string)f!["path"]!).ToList();
        Assert.Contains("report.md", paths);
        Assert.Contains("export/model.fused.onnx", paths);
        Assert.DoesNotContain(paths, p => p.EndsWith("_complete", StringComparison.Ordinal));

        var report = await http.GetAsync($"/api/pipeline/runs/{runId}/artifacts/report.md");
        Assert.Equal("text/markdown", report.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", report.Headers.GetValues("X-Content-Type-Options").Single());
        var plot = await http.GetAsync($"/api/pipeline/runs/{runId}/artifacts/loss.png");
        Assert.Equal("image/png", plot.Content.Headers.ContentType?.MediaType);
        var model = await http.GetAsync($"/api/pipeline/runs/{runId}/artifacts/export/model.fused.onnx");
        Assert.Equal("application/octet-stream", model.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", model.Content.Headers.ContentDisposition?.DispositionType);
        Assert.True((await model.Content.ReadAsByteArrayAsync()).Length > 1000);

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/pipeline/runs/{runId}/artifacts/nothing.json")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/pipeline/runs/nothing-000000000000/artifacts")).StatusCode);
        var outside = await http.GetAsync($"/api/pipeline/runs/{runId}/artifacts/..%5C..%5Cmodels%5Cchampion.json");
        Assert.Equal(HttpStatusCode.BadRequest, outside.StatusCode);
        Assert.Equal("application/problem+json", outside.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>What a promotion by hand refuses: a body without who or why, an unknown run, the champion itself.</summary>
    private static async Task ManualPromotionRefusesAsync(HttpClient http, string champion)
    {
        var incomplete = await http.PostAsJsonAsync("/api/pipeline/champion/promote", new { runId = champion });
        Assert.Equal(HttpStatusCode.BadRequest, incomplete.StatusCode);
        Assert.Equal("application/problem+json", incomplete.Content.Headers.ContentType?.MediaType);
        var unknown = await http.PostAsJsonAsync("/api/pipeline/champion/promote", new { runId = "nothing-000000000000", by = "Dana", reason = "test" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var again = await http.PostAsJsonAsync("/api/pipeline/champion/promote", new { runId = champion, by = "Dana", reason = "test" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("already the champion", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
