using System.ComponentModel;
using Paraphrase.Cli.Console;
using Paraphrase.Cli.Settings;
using Paraphrase.Onnx;
using Paraphrase.Training.Runtime;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Paraphrase.Cli.Commands;

[Description("Export a trained model to ONNX (portable, fused, int8), each file checked against TorchSharp before it is written.")]
public sealed class ExportCommand : Command<ExportCommand.Options>
{
    public sealed class Options : GlobalSettings
    {
        [CommandOption("-m|--model <DIR>")]
        [Description("A training run or model directory.")]
        public string? Model { get; init; }

        [CommandOption("-o|--output <DIR>")]
        [Description("Directory for model.<variant>.onnx, its manifest, vocab.txt and config.json: servable as is.")]
        public string? Output { get; init; }

        [CommandOption("--variant <VARIANT>")]
        [Description("all, or a comma-separated list of portable, fused, int8.")]
        [DefaultValue("all")]
        public string Variant { get; init; } = "all";

        [CommandOption("--dev <FILE>")]
        [Description("Labelled pairs to check the export on (accuracy for int8); default: a built-in sample.")]
        public string? Dev { get; init; }

        [CommandOption("--calibration <FILE>")]
        [Description("Pairs (labels not needed) whose activations calibrate the int8 weights; the first 256 are used. Default: the run's training file, else --dev, else a built-in sample.")]
        public string? Calibration { get; init; }

        public override ValidationResult Validate()
        {
            if (string.IsNullOrWhiteSpace(Model) || string.IsNullOrWhiteSpace(Output))
            {
                return ValidationResult.Error("--model and --output are required.");
            }

            return ParseVariants(Variant) is null ? ValidationResult.Error($"--variant '{Variant}' is not all or a list of portable, fused, int8.") : base.Validate();
        }

        /// <summary>"all" or a comma-separated list of portable, fused, int8; null when something else is named.</summary>
        public static IReadOnlyList<OnnxVariant>? ParseVariants(string text)
        {
            if (text.Equals("all", StringComparison.OrdinalIgnoreCase))
            {
                return Enum.GetValues<OnnxVariant>();
            }

            var variants = new List<OnnxVariant>();
            foreach (var name in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!Enum.TryParse<OnnxVariant>(name, ignoreCase: true, out var variant) || int.TryParse(name, out _))
                {
                    return null;
                }

                variants.Add(variant);
            }

            return variants.Count == 0 ? null : variants.Distinct().ToList();
        }
    }

    public override int Execute(CommandContext context, Options settings, CancellationToken cancellationToken)
    {
        LibTorchRuntime.EnsureLoaded();
        var manifests = OnnxExporter.Export(settings.Model!, settings.Output!, Options.ParseVariants(settings.Variant)!, settings.Dev, Terminal.Info, settings.Calibration,
            cancellationToken);
        Terminal.Info($"Exported {string.Join(", ", manifests.Select(m => m.File))} to {settings.Output}.");
        return 0;
    }
}
