using System.ComponentModel;
using Paraphrase.Cli.Console;
using Paraphrase.Cli.Settings;
using Paraphrase.Pipeline.Api;
using Paraphrase.Pipeline.Storage;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Paraphrase.Cli.Commands;

[Description("Upload a file into a dataset folder of the pipeline's storage (datasets/<name>/): a host watching the storage starts a run once the folder settles.")]
public sealed class DataUploadCommand : AsyncCommand<DataUploadCommand.Options>
{
    public sealed class Options : GlobalSettings
    {
        [CommandOption("-i|--input <FILE>")]
        public string? Input { get; init; }

        [CommandOption("-d|--dataset <NAME>")]
        [Description("The dataset folder: lowercase letters, digits and dashes.")]
        public string? Dataset { get; init; }

        [CommandOption("--as <ROLE>")]
        [Description("train, dev, test or pipeline; default: from the file name (train.tsv, dev.csv, pipeline.json ...).")]
        public string? Role { get; init; }

        [CommandOption("--storage <CONNECTION>")]
        [DefaultValue(StorageAccount.DevelopmentStorage)]
        public string Storage { get; init; } = StorageAccount.DevelopmentStorage;

        public override ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Input) || string.IsNullOrWhiteSpace(Dataset) ? ValidationResult.Error("--input and --dataset are required.")
            : !File.Exists(Input) ? ValidationResult.Error($"--input {Input}: no such file.")
            : Role is not (null or "train" or "dev" or "test" or "pipeline") ? ValidationResult.Error($"--as '{Role}': use train, dev, test or pipeline.")
            : base.Validate();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Options settings, CancellationToken cancellationToken)
    {
        var store = new ArtifactStore(StorageAccount.Connect(settings.Storage));
        BlobPath path;
        try
        {
            path = await DatasetUploader.UploadAsync(store, settings.Input!, settings.Dataset!, settings.Role, cancellationToken);
        }
        catch (Azure.RequestFailedException e)
        {
            throw new IOException($"the storage refused the upload ({e.Status} {e.ErrorCode}); check --storage", e);
        }
        catch (HttpRequestException e)
        {
            throw new IOException($"cannot reach the storage ({e.Message}); is 'paraphrase host' (or Azurite) running, or is --storage right?", e);
        }

        Terminal.Info($"Uploaded {settings.Input} to {path}.");
        return 0;
    }
}
