using System.ComponentModel;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Paraphrase.Cli.Console;
using Paraphrase.Cli.Settings;
using Paraphrase.Core.Artifacts;
using Paraphrase.Core.Datasets;
using Paraphrase.Inference;
using Paraphrase.Inference.Serving;
using Paraphrase.Training.Reporting;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Paraphrase.Cli.Commands;

[Description("The product end to end on this machine: fine-tune MiniLM on MRPC, export it to ONNX, serve it over HTTP and ask it about a few pairs.")]
public sealed class DemoCommand : AsyncCommand<DemoCommand.Options>
{
    public sealed class Options : GlobalSettings
    {
        [CommandOption("--quick")]
        [Description("One epoch on the first 1,600 training pairs (a couple of minutes) instead of the full recipe (about 10 minutes on 2 cores).")]
        public bool Quick { get; init; }

        [CommandOption("--train <FILE>")]
        [DefaultValue("data/mrpc/train.tsv")]
        public string Train { get; init; } = "data/mrpc/train.tsv";

        [CommandOption("--dev <FILE>")]
        [DefaultValue("data/mrpc/dev.tsv")]
        public string Dev { get; init; } = "data/mrpc/dev.tsv";

        [CommandOption("-o|--output <DIR>")]
        [Description("Where the run and the exported model go.")]
        [DefaultValue("runs/demo")]
        public string Output { get; init; } = "runs/demo";

        [CommandOption("-p|--port <PORT>")]
        [DefaultValue(8080)]
        public int Port { get; init; } = 8080;
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Options settings, CancellationToken cancellationToken)
    {
        string run = Path.Combine(settings.Output, "run"), model = Path.Combine(settings.Output, "model");
        Step("1/3", "Fine-tuning all-MiniLM-L6-v2 on MRPC" + (settings.Quick ? " (quick: 1 epoch, 1,600 pairs)" : " (3 epochs, the course's recipe)"));
        string[] train = ["train", "--train", settings.Train, "--dev", settings.Dev, "--base-model", "minilm", "--output", run, "--overwrite",
            .. settings.Quick ? new[] { "--epochs", "1", "--max-train-pairs", "1600" } : []];
        if (CliApplication.Run(train) is var trained and not 0)
        {
            return trained;
        }

        Step("2/3", "Exporting to ONNX (fused) and checking it against TorchSharp on the dev split");
        if (CliApplication.Run(["export", "--model", run, "--output", model, "--variant", "fused", "--dev", settings.Dev]) is var exported and not 0)
        {
            return exported;
        }

        Step("3/3", $"Serving it at http://127.0.0.1:{settings.Port} and sending a few dev pairs");
        var pairs = DatasetReader.Read(settings.Dev).Pairs.Take(6).ToList();
        await using (var app = ServingHost.Create(model, new ServingOptions { AllowAnonymous = true }, new InferenceOptions { ExecutionProvider = "cpu" }, $"http://127.0.0.1:{settings.Port}"))
        {
            await app.StartAsync(cancellationToken);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{settings.Port}") };
            var response = await http.PostAsJsonAsync("/api/paraphrase", new { pairs = pairs.Select(p => new { sentence1 = p.Sentence1, sentence2 = p.Sentence2 }) }, cancellationToken);
            response.EnsureSuccessStatusCode();
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            Terminal.Out.Write(PredictionTable(pairs, body.RootElement.GetProperty("results")));
            await app.StopAsync(cancellationToken);
        }

        var metrics = RunMetrics.Load(Path.Combine(run, "metrics.json"));
        var best = metrics.Best!.Evaluation.Metrics;
        Terminal.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Dev accuracy {best.Accuracy:F4}, F1 {best.F1:F4} (epoch {metrics.BestEpoch}). Model: {model}; report: {Path.Combine(run, "report.md")}."));
        Terminal.Out.WriteLine($"Serve it yourself: ./paraphrase serve --model {model} --no-auth");
        return 0;
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
