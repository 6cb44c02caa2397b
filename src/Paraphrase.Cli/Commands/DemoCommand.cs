using System.ComponentModel;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Paraphrase.Cli.Console;
using Microsoft.Extensions.DependencyInjection;
using Paraphrase.Cli.Settings;
using Paraphrase.Core.Artifacts;
using Paraphrase.Core.Datasets;
using Paraphrase.Hosting;
using Paraphrase.Inference;
using Paraphrase.Serving;
using Paraphrase.Pipeline;
using Paraphrase.Pipeline.Api;
using Paraphrase.Pipeline.Storage;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Paraphrase.Cli.Commands;

[Description("The product end to end on this machine: start the pipeline host, upload MRPC as a dataset, watch the run (ingest, tokenize, fine-tune, export, evaluate, promote), then ask the served champion about a few pairs.")]
public sealed class DemoCommand : AsyncCommand<DemoCommand.Options>
{
    public sealed class Options : GlobalSettings
    {
        [CommandOption("--quick")]
        [Description("One epoch on the first 1,600 training pairs (a few minutes) instead of the full recipe (3 epochs, about 10 minutes on 2 cores).")]
        public bool Quick { get; init; }

        [CommandOption("--train <FILE>")]
        [DefaultValue("data/mrpc/train.tsv")]
        public string Train { get; init; } = "data/mrpc/train.tsv";

        [CommandOption("--dev <FILE>")]
        [DefaultValue("data/mrpc/dev.tsv")]
        public string Dev { get; init; } = "data/mrpc/dev.tsv";

        [CommandOption("--dataset <NAME>")]
        [DefaultValue("mrpc")]
        public string Dataset { get; init; } = "mrpc";

        [CommandOption("--data <DIR>")]
        [Description("The host's local state (Azurite's data, caches); the run report is copied to <DIR>/reports/<run>.")]
        [DefaultValue(".paraphrase")]
        public string Data { get; init; } = ".paraphrase";

        [CommandOption("--force")]
        [Description("Train again even if this snapshot and these options were trained before (a new seed).")]
        public bool Force { get; init; }

        [CommandOption("-p|--port <PORT>")]
        [DefaultValue(8080)]
        public int Port { get; init; } = 8080;
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Options settings, CancellationToken cancellationToken)
    {
        using var logging = LogSetup.Create(settings.Verbose);
        string url = $"http://127.0.0.1:{settings.Port}";
        Step("1/5", "Starting the pipeline host (Azurite, durable task hub, trainer worker, HTTP API)");
        var options = new LocalHostOptions
        {
            Url = url, DataDirectory = settings.Data, Serving = new ServingOptions { AllowAnonymous = true }, Inference = new InferenceOptions { ExecutionProvider = "cpu" },
            Pipeline = new PipelineOptions { Settle = TimeSpan.FromSeconds(2) },
        };
        await using var host = await LocalPipelineHost.StartAsync(options, logging, Terminal.Info, cancellationToken);
        var client = PipelineApiClient.Create(url, apiKey: null);

        Step("2/5", $"Uploading {settings.Train} and {settings.Dev} to datasets/{settings.Dataset}/" + (settings.Quick ? " (quick: 1 epoch, 1,600 pairs)" : " (3 epochs, the course's recipe)"));
        var store = host.App.Services.GetRequiredService<ArtifactStore>();
        string pipelineJson = Path.Combine(Path.GetFullPath(settings.Data), "demo-pipeline.json");
        var training = settings.Quick ? new JsonObject { ["epochs"] = 1, ["maxTrainPairs"] = 1600 } : new JsonObject();
        await File.WriteAllTextAsync(pipelineJson, new JsonObject { ["training"] = training }.ToJsonString(), cancellationToken);
        await DatasetUploader.UploadAsync(store, pipelineJson, settings.Dataset, "pipeline", cancellationToken);
        await DatasetUploader.UploadAsync(store, settings.Train, settings.Dataset, "train", cancellationToken);
        await DatasetUploader.UploadAsync(store, settings.Dev, settings.Dataset, "dev", cancellationToken);

        // The upload watcher starts the same run on its own; asking for it here maps to the same instance and returns its id at once.
        var started = await client.StartAsync(new StartRunBody(settings.Dataset, null, null, settings.Force), cancellationToken);
        Step("3/5", $"Run {started.Id} {(started.Created ? "started" : $"already exists ({started.RuntimeStatus}); add --force to train again")}");
        var run = await RunDisplay.WatchAsync(client, started.Id, cancellationToken);
        RunDisplay.Outcome(run);
        if (run.RuntimeStatus != "Completed")
        {
            return 1;
        }

        Step("4/5", "Asking the served champion (POST /api/paraphrase) about a few dev pairs");
        var pairs = DatasetReader.Read(settings.Dev).Pairs.Take(6).ToList();
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        using var body = await AskAsync(http, pairs, cancellationToken);
        Terminal.Out.Write(PredictionTable(pairs, body.RootElement.GetProperty("results")));

        Step("5/5", "Run report");
        string reports = Path.Combine(settings.Data, "reports", run.Id);
        foreach (string file in new[] { "report.md", "loss.png", "confusion.png", "run.json", "metrics.json" })
        {
            await store.DownloadFileAsync(ArtifactPaths.RunFile(run.Id, file), Path.Combine(reports, file), cancellationToken);
        }

        Terminal.Out.WriteLine($"Report: {Path.Combine(reports, "report.md")} (plots and run.json beside it); champion history: GET {url}/api/pipeline/champion.");
        Terminal.Out.WriteLine("Keep it running yourself: ./paraphrase host --no-auth   (then upload to datasets/<name>/ with ./paraphrase data upload)");
        return 0;
    }

    /// <summary>The host picks up a new champion within a second or two of its promotion: until then it answers 503.</summary>
    private static async Task<JsonDocument> AskAsync(HttpClient http, List<SentencePair> pairs, CancellationToken cancellationToken)
    {
        var request = new { pairs = pairs.Select(p => new { sentence1 = p.Sentence1, sentence2 = p.Sentence2 }) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var response = await http.PostAsJsonAsync("/api/paraphrase", request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            }

            if ((int)response.StatusCode != 503 || DateTime.UtcNow > deadline)
            {
                throw new InferenceException($"the served champion answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }

            await Task.Delay(500, cancellationToken);
        }
    }

    private static void Step(string number, string text) => Terminal.Info($"\n== {number} {text}");

    private static Table PredictionTable(List<SentencePair> pairs, JsonElement results)
    {
        var table = new Table().AddColumn("sentence 1").AddColumn("sentence 2").AddColumn("predicted").AddColumn(new TableColumn("p(paraphrase)").RightAligned()).AddColumn("gold");
        for (int i = 0; i < pairs.Count; i++)
        {
            var result = results[i];
            table.AddRow(Markup.Escape(pairs[i].Sentence1), Markup.Escape(pairs[i].Sentence2), result.GetProperty("label").GetString()!,
                result.GetProperty("probability").GetDouble().ToString("F3", CultureInfo.InvariantCulture),
                pairs[i].Label == 1 ? "paraphrase" : "not_paraphrase");
        }

        return table;
    }
}
