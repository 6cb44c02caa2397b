using System.ComponentModel;
using System.Globalization;
using System.Text;
using Paraphrase.Cli.Console;
using Paraphrase.Cli.Settings;
using Paraphrase.Core.Datasets;
using Paraphrase.Core.IO;
using Paraphrase.Inference;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Paraphrase.Cli.Commands;

[Description("Classify sentence pairs with an exported ONNX model: one pair from the command line, or a file of pairs.")]
public sealed class PredictCommand : Command<PredictCommand.Options>
{
    public sealed class Options : DatasetSettings
    {
        [CommandOption("-m|--model <PATH>")]
        [Description("An export directory or an .onnx file.")]
        public string? Model { get; init; }

        [CommandOption("--vocab <FILE>")]
        [Description("The vocabulary, when it is not vocab.txt beside the model.")]
        public string? Vocab { get; init; }

        [CommandOption("--variant <VARIANT>")]
        [Description("For an export directory: fused, portable or int8 (default: the first present in that order).")]
        public string? Variant { get; init; }

        [CommandOption("--sentence1 <TEXT>")]
        public string? Sentence1 { get; init; }

        [CommandOption("--sentence2 <TEXT>")]
        public string? Sentence2 { get; init; }

        [CommandOption("-i|--input <FILE>")]
        [Description("Pairs to classify (.tsv/.csv/.jsonl; labels not needed).")]
        public string? Input { get; init; }

        [CommandOption("-o|--output <FILE>")]
        [Description("With --input: one JSON line per pair, in order: {\"label\", \"probability\", \"logits\"}.")]
        public string? Output { get; init; }

        [CommandOption("--batch-size <N>")]
        [DefaultValue(32)]
        public int BatchSize { get; init; } = 32;

        [CommandOption("--provider <PROVIDER>")]
        [Description("auto (CUDA when available), cpu or cuda.")]
        [DefaultValue("auto")]
        public string Provider { get; init; } = "auto";

        [CommandOption("--threads <N>")]
        [Description("ONNX Runtime threads per operator (0: one per core).")]
        [DefaultValue(0)]
        public int Threads { get; init; }

        public override ValidationResult Validate()
        {
            if (string.IsNullOrWhiteSpace(Model))
            {
                return ValidationResult.Error("--model is required.");
            }

            bool single = Sentence1 is not null || Sentence2 is not null;
            if (single == (Input is not null))
            {
                return ValidationResult.Error("give either --sentence1 and --sentence2, or --input and --output.");
            }

            if (single && (string.IsNullOrWhiteSpace(Sentence1) || string.IsNullOrWhiteSpace(Sentence2)))
            {
                return ValidationResult.Error("--sentence1 and --sentence2 must both be non-empty.");
            }

            if (Input is not null && string.IsNullOrWhiteSpace(Output))
            {
                return ValidationResult.Error("--input needs --output, the .jsonl file to write.");
            }

            return BatchSize < 1 ? ValidationResult.Error("--batch-size must be at least 1.") : base.Validate();
        }
    }

    public override int Execute(CommandContext context, Options settings, CancellationToken cancellationToken)
    {
        var options = new InferenceOptions { ExecutionProvider = settings.Provider, IntraOpThreads = settings.Threads, Variant = settings.Variant };
        using var classifier = ParaphraseClassifier.Open(settings.Model!, settings.Vocab, options, Terminal.Info);
        if (settings.Input is null)
        {
            var prediction = classifier.Predict(settings.Sentence1!, settings.Sentence2!);
            Terminal.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(prediction.Label == 1 ? "paraphrase" : "not paraphrase")} (probability of paraphrase {prediction.Probability:F4})"));
            return 0;
        }

        var pairs = DatasetReader.Read(settings.Input, settings.ToDatasetOptions(requireLabels: false)).Pairs;
        var lines = new StringBuilder();
        int done = Terminal.WithProgress("Classifying", pairs.Count, report =>
        {
            for (int start = 0; start < pairs.Count; start += settings.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var chunk = pairs.Skip(start).Take(settings.BatchSize).Select(p => (p.Sentence1, p.Sentence2)).ToList();
                foreach (var p in classifier.PredictBatch(chunk))
                {
                    lines.Append(CultureInfo.InvariantCulture,
                        $"{{\"label\": {p.Label}, \"probability\": {p.Probability:R}, \"logits\": [{string.Join(", ", p.Logits.Select(l => l.ToString("R", CultureInfo.InvariantCulture)))}]}}\n");
                }

                report(Math.Min(pairs.Count, start + settings.BatchSize));
            }

            return pairs.Count;
        });
        AtomicFile.WriteAsync(settings.Output!, stream => stream.WriteAsync(Encoding.UTF8.GetBytes(lines.ToString()), cancellationToken).AsTask(), cancellationToken)
            .GetAwaiter().GetResult();
        Terminal.Info($"Classified {done:N0} pairs on {classifier.ExecutionProvider} -> {settings.Output}");
        return 0;
    }
}
