using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.DurableTask;
using Paraphrase.Functions.Triggers;
using Paraphrase.Pipeline;

namespace Paraphrase.Functions.Tests;

/// <summary>
/// The Functions host cannot run here, so what it would read is checked instead: the function metadata the worker SDK
/// generates at build time (every function, its trigger, route, blob path and source) and the published app's files.
/// </summary>
public sealed class FunctionMetadataTests
{
    private static readonly string Root = FindRoot();
    private static readonly string Configuration = typeof(FunctionMetadataTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
    private static readonly string Project = Path.Combine(Root, "functions", "Paraphrase.Functions");

    private static readonly Dictionary<string, JsonObject> Functions = ((JsonArray)JsonNode.Parse(
            File.ReadAllText(Path.Combine(Project, "bin", Configuration, "net10.0", "functions.metadata")))!)
        .Cast<JsonObject>().ToDictionary(f => (string)f["name"]!);

    [Theory]
    [InlineData("StartRun", "post", "api/pipeline/runs", "Function")]
    [InlineData("ListRuns", "get", "api/pipeline/runs", "Function")]
    [InlineData("GetRun", "get", "api/pipeline/runs/{id}", "Function")]
    [InlineData("TerminateRun", "post", "api/pipeline/runs/{id}/terminate", "Function")]
    [InlineData("GetChampion", "get", "api/pipeline/champion", "Function")]
    [InlineData("RollbackChampion", "post", "api/pipeline/champion/rollback", "Function")]
    [InlineData("Paraphrase", "post", "api/paraphrase", "Function")]
    [InlineData("Model", "get", "api/model", "Function")]
    [InlineData("OpenApi", "get", "openapi.json", "Function")]
    [InlineData("PromoteChampion", "post", "api/pipeline/champion/promote", "Function")]
    [InlineData("ListRunArtifacts", "get", "api/pipeline/runs/{id}/artifacts", "Function")]
    [InlineData("GetRunArtifact", "get", "api/pipeline/runs/{id}/artifacts/{*path}", "Function")]
    [InlineData("Health", "get", "api/health", "Anonymous")]
    [InlineData("DashboardPage", "get head", Http.DashboardFunctions.RootRoute, "Anonymous")]
    [InlineData("DashboardAsset", "get head", "dashboard/{*path}", "Anonymous")]
    public void HttpFunctionsKeepTheLocalHostsRoutesBehindFunctionKeys(string name, string methods, string route, string authLevel)
    {
        var trigger = Trigger(name, "httpTrigger");
        Assert.Equal(route, (string?)trigger["route"] ?? "");
        Assert.Equal(methods.Split(' '), trigger["methods"]!.AsArray().Select(m => (string?)m));
        Assert.Equal(authLevel, (string?)trigger["authLevel"]);
    }

    [Fact]
    public void EveryBindingHasANameTheHostAccepts()
    {
        var names = Functions.Values.SelectMany(f => f["bindings"]!.AsArray().Select(b => $"{f["name"]}.{b!["name"]}")).ToList();
        Assert.All(names, name => Assert.Matches(@"^\w+\.([a-zA-Z][a-zA-Z0-9]{0,127}|\$return)$", name));
    }

    [Fact]
    public void TheRoutePrefixIsEmptySoRoutesMatchTheLocalHost()
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "host.json")))!;
        Assert.Equal("", (string?)host["extensions"]!["http"]!["routePrefix"]);
        Assert.Equal(false, (bool?)host["extensions"]!["durableTask"]!["extendedSessionsEnabled"]);
    }

    [Fact]
    public void UploadsArriveThroughEventGridOnTheArtifactConnection()
    {
        var trigger = Trigger(TriggerFunctions.DatasetUploadedName, "blobTrigger");
        Assert.Equal("datasets/{name}", (string?)trigger["path"]);
        Assert.Equal("EventGrid", (string?)trigger["source"]);
        Assert.Equal(FunctionAppSettings.ArtifactConnection, (string?)trigger["connection"]);
        Assert.Contains(Functions[TriggerFunctions.DatasetUploadedName]["bindings"]!.AsArray(), b => (string?)b!["type"] == "durableClient");
    }

    [Fact]
    public void TheRetrainingTimerReadsItsScheduleFromAnAppSetting()
    {
        var trigger = Trigger(nameof(TriggerFunctions.RetrainingCheck), "timerTrigger");
        Assert.Equal($"%{FunctionAppSettings.RetrainCheckSchedule}%", (string?)trigger["schedule"]);
        Assert.Contains(FunctionAppSettings.RetrainCheckSchedule, FunctionAppSettings.Names);
    }

    [Fact]
    public void EveryOrchestratorAndActivityOfThePipelineIsAFunctionUnderItsOwnName()
    {
        var tasks = typeof(PipelineOptions).Assembly.GetTypes().Where(t => !t.IsAbstract && BaseGeneric(t) is not null).ToList();
        var orchestrators = tasks.Where(t => BaseGeneric(t) == typeof(TaskOrchestrator<,>)).Select(t => t.Name).Order().ToList();
        var activities = tasks.Where(t => BaseGeneric(t) == typeof(TaskActivity<,>)).Select(t => t.Name).Order().ToList();

        Assert.Equal(orchestrators, Named("orchestrationTrigger"));
        Assert.Equal(activities, Named("activityTrigger"));
        Assert.Contains("TrainingPipelineOrchestrator", orchestrators);
        Assert.Contains("PromoteCandidateActivity", activities);
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesExactlyTheAppsHttpFunctionsWithFunctionKeys()
    {
        var http = Functions.Values.Select(f => (Name: (string)f["name"]!, Trigger: f["bindings"]!.AsArray().Cast<JsonObject>().Single(b => ((string?)b["type"])!.EndsWith("Trigger", StringComparison.Ordinal))))
            .Where(f => (string?)f.Trigger["type"] == "httpTrigger" && (string?)f.Trigger["authLevel"] == "Function" && f.Name != "OpenApi")
            .SelectMany(f => f.Trigger["methods"]!.AsArray().Select(m => $"{(string?)m} /{((string?)f.Trigger["route"])!.Replace("{*", "{", StringComparison.Ordinal)}"))
            .Append("get /api/health").Order().ToList();
        var request = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = EmptyServices }.Request;
        request.Scheme = "https";
        request.Host = new Microsoft.AspNetCore.Http.HostString("paraphrase.example");
        request.HttpContext.Response.Body = new MemoryStream();

        await (await Paraphrase.Functions.Http.ServingFunctions.OpenApi(request, new TestFunctionContext(EmptyServices)))
            .ExecuteAsync(request.HttpContext);
        request.HttpContext.Response.Body.Position = 0;
        var document = JsonNode.Parse(request.HttpContext.Response.Body)!;

        var operations = document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Where(o => o.Key is "get" or "post").Select(o => $"{o.Key} {p.Key}")).Order().ToList();
        Assert.Equal(http, operations);
        Assert.Equal("/", (string?)document["servers"]![0]!["url"]);
        Assert.Equal("x-functions-key", (string?)document["components"]!["securitySchemes"]!["apiKey"]!["name"]);
        Assert.Null(document["components"]!["securitySchemes"]!["bearer"]);
    }

    [Fact]
    public async Task ThePublishedAppCarriesNoLibTorch()
    {
        string output = Path.Combine(Path.GetTempPath(), "paraphrase-functions-publish-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            using var publish = Process.Start(new ProcessStartInfo("dotnet", ["publish", Project, "-c", Configuration, "--no-build", "-o", output])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            // Both streams at once: one left unread can fill its pipe and stall the other.
            var stdout = publish.StandardOutput.ReadToEndAsync();
            var stderr = publish.StandardError.ReadToEndAsync();
            await publish.WaitForExitAsync();
            Assert.True(publish.ExitCode == 0, await stdout + await stderr);

            var files = Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();
            Assert.Contains("Paraphrase.Functions.dll", files);
            Assert.Contains("functions.metadata", files);
            Assert.Contains("host.json", files);
            Assert.DoesNotContain(files, f => f!.StartsWith("libtorch", StringComparison.OrdinalIgnoreCase) || f.StartsWith("TorchSharp", StringComparison.OrdinalIgnoreCase)
                || f.StartsWith("Paraphrase.Training", StringComparison.Ordinal));
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }

    private static readonly IServiceProvider EmptyServices = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions
        .BuildServiceProvider(Microsoft.Extensions.DependencyInjection.LoggingServiceCollectionExtensions.AddLogging(new Microsoft.Extensions.DependencyInjection.ServiceCollection()));

    private static JsonObject Trigger(string function, string type)
    {
        Assert.True(Functions.ContainsKey(function), $"no function '{function}' in functions.metadata");
        var trigger = Functions[function]["bindings"]!.AsArray().Cast<JsonObject>().SingleOrDefault(b => ((string?)b["type"])!.EndsWith("Trigger", StringComparison.Ordinal));
        Assert.NotNull(trigger);
        Assert.Equal(type, (string?)trigger["type"]);
        return trigger;
    }

    private static List<string> Named(string triggerType) =>
        [.. Functions.Values.Where(f => f["bindings"]!.AsArray().Any(b => (string?)b!["type"] == triggerType)).Select(f => (string)f["name"]!).Order()];

    private static Type? BaseGeneric(Type type)
    {
        for (var t = type.BaseType; t is not null; t = t.BaseType)
        {
            if (t.IsGenericType && (t.GetGenericTypeDefinition() == typeof(TaskOrchestrator<,>) || t.GetGenericTypeDefinition() == typeof(TaskActivity<,>)))
            {
                return t.GetGenericTypeDefinition();
            }
        }

        return null;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pipeline.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Pipeline.sln not found above the test's output directory.");
    }
}
