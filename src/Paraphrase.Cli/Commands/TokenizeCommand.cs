using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Paraphrase.Cli.Console;
using Paraphrase.Cli.Settings;
using Paraphrase.Core.Datasets;
using Paraphrase.Core.IO;
using Paraphrase.Core.Tokenization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Paraphrase.Cli.Commands;

[Description("Tokenize a sentence-pair file into BERT input ids, one JSON line per pair, exactly as Hugging Face would.")]
public sealed class TokenizeCommand : AsyncCommand<TokenizeCommand.Options>
{
    public sealed class Options : TokenizerSettings
    {
        [CommandOption("-o|--output <FILE>")]
        [Description("Where to write the JSON lines. Written to a temporary file and renamed when complete.")]
        public string? Output { get; init; }

        public override ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Output) ? ValidationResult.Error("--output is required: the .jsonl file to write.") : base.Validate();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Options options, CancellationToken cancellationToken)
    {
        var tokenizer = options.CreateTokenizer();
        var dataset = DatasetReader.Read(options.Input!, options.ToDatasetOptions(requireLabels: false));
        var clock = Stopwatch.StartNew();
        int truncated = 0;
        var text = Terminal.WithProgress("Tokenizing", dataset.Count, report =>
        {
            var lines = new StringBuilder(dataset.Count * 200);
            for (int i = 0; i < dataset.Count; i++)
            {
                var pair = dataset.Pairs[i];
                var encoded = tokenizer.Encode(pair.Sentence1, pair.Sentence2);
                truncated += encoded.Truncated ? 1 : 0;
                EncodedPairJsonl.AppendLine(lines, i, pair.Label, encoded);
                if ((i & 255) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    report(i);
                }
            }

            report(dataset.Count);
            return lines.ToString();
        });

        await AtomicFile.WriteAsync(options.Output!, async stream =>
        {
            await using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
            await writer.WriteAsync(text.AsMemory(), cancellationToken);
        }, cancellationToken);

        Terminal.Info(
            $"Tokenized {dataset.Count:N0} pairs ({truncated:N0} truncated, {dataset.SkippedRows:N0} rows skipped) in {clock.Elapsed.TotalSeconds:F2} s -> {options.Output}");
        return 0;
    }
}
