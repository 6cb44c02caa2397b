using System.ComponentModel;
using Paraphrase.Cli.Console;
using Paraphrase.Cli.Settings;
using Paraphrase.Training.Import;
using Paraphrase.Training.Runtime;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Paraphrase.Cli.Commands;

[Description("Import the weights of an ONNX BERT export into a Hugging Face model directory, verified against ONNX Runtime.")]
public sealed class ModelImportCommand : Command<ModelImportCommand.Options>
{
    public sealed class Options : GlobalSettings
    {
        [CommandOption("--onnx <FILE>")]
        [Description("The ONNX export (BertModel or BertForSequenceClassification, Hugging Face input names).")]
        public string? Onnx { get; init; }

        [CommandOption("--vocab <FILE>")]
        [Description("The model's vocab.txt.")]
        public string? Vocab { get; init; }

        [CommandOption("-o|--output <DIR>")]
        [Description("Directory to write config.json, model.safetensors, vocab.txt and import.json into.")]
        public string? Output { get; init; }

        [CommandOption("--num-heads <N>")]
        [Description("Attention heads, when the graph does not tell.")]
        public int? NumHeads { get; init; }

        public override ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Onnx) || string.IsNullOrWhiteSpace(Vocab) || string.IsNullOrWhiteSpace(Output)
                ? ValidationResult.Error("--onnx, --vocab and --output are required.")
                : base.Validate();
    }

    public override int Execute(CommandContext context, Options settings, CancellationToken cancellationToken)
    {
        LibTorchRuntime.EnsureLoaded();
        var summary = OnnxModelImport.ToDirectory(settings.Onnx!, settings.Vocab!, settings.Output!, settings.NumHeads, Terminal.Info);
        Terminal.Info($"Imported {summary.Layers} layers × {summary.HiddenSize} ({summary.Heads} heads) into {settings.Output}; " +
            $"reproduces ONNX Runtime's outputs within {summary.MaxDifference:E1}.");
        return 0;
    }
}
