using System.ComponentModel;
using Paraphrase.Pipeline.Jobs;
using Paraphrase.Pipeline.Storage;
using Paraphrase.Training.FineTuning;
using Paraphrase.Worker;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Paraphrase.Cli.Settings;

/// <summary>
/// What <c>host</c> and <c>worker</c> both need to meet each other: the storage account, the local data directory, the
/// job queue and its transport, and how a trainer worker trains, heartbeats and checkpoints.
/// </summary>
public class JobQueueSettings : GlobalSettings
{
    [CommandOption("--storage <CONNECTION>")]
    [Description("Storage account: a connection string, or an account name (managed identity). Default: Azurite (the host starts it if it is not running).")]
    [DefaultValue(StorageAccount.DevelopmentStorage)]
    public string Storage { get; init; } = StorageAccount.DevelopmentStorage;

    [CommandOption("--data <DIR>")]
    [Description("Local state: Azurite's data, caches, the worker's scratch space.")]
    [DefaultValue(".paraphrase")]
    public string Data { get; init; } = ".paraphrase";

    [CommandOption("--queue <NAME>")]
    [Description("The trainer-job queue.")]
    [DefaultValue("trainer-jobs")]
    public string Queue { get; init; } = "trainer-jobs";

    [CommandOption("--transport <KIND>")]
    [Description("Where the job queue lives: storage-queue (in the storage account) or service-bus.")]
    [DefaultValue("storage-queue")]
    public string Transport { get; init; } = "storage-queue";

    [CommandOption("--service-bus <CONNECTION>")]
    [Description("With --transport service-bus: a connection string, or a namespace reached with a managed identity; also read from PARAPHRASE_SERVICE_BUS.")]
    public string? ServiceBus { get; init; }

    [CommandOption("--device <DEVICE>")]
    [Description("Where the trainer worker trains: auto (CUDA when available), cpu, cuda or cuda:N.")]
    [DefaultValue("auto")]
    public string Device { get; init; } = "auto";

    [CommandOption("--heartbeat-interval <DURATION>")]
    [Description("How often the trainer worker reports progress, renews its locks and looks for cancellation.")]
    [DefaultValue("5s")]
    public string HeartbeatInterval { get; init; } = "5s";

    [CommandOption("--checkpoint-every <DURATION>")]
    [Description("Besides every epoch, checkpoint training to blob storage this often, so a killed worker loses at most this much.")]
    [DefaultValue("5m")]
    public string CheckpointEvery { get; init; } = "5m";

    [CommandOption("--checkpoint-steps <N>")]
    [Description("Also checkpoint every N optimizer steps.")]
    public int? CheckpointSteps { get; init; }

    public override ValidationResult Validate()
    {
        foreach (var (name, value) in new[] { ("--heartbeat-interval", HeartbeatInterval), ("--checkpoint-every", CheckpointEvery) })
        {
            if (!Durations.TryParse(value, out _))
            {
                return ValidationResult.Error($"{name} '{value}' is not a duration: use e.g. 10s, 5m or 1h.");
            }
        }

        try
        {
            TransportSettings.Validate();
        }
        catch (ArgumentException e)
        {
            return ValidationResult.Error($"--transport: {e.Message}");
        }

        return CheckpointSteps is < 1 ? ValidationResult.Error("--checkpoint-steps must be at least 1.") : base.Validate();
    }

    public JobTransportSettings TransportSettings => new()
    {
        Kind = JobTransportSettings.ParseKind(Transport),
        ServiceBus = ServiceBus ?? Environment.GetEnvironmentVariable("PARAPHRASE_SERVICE_BUS"),
    };

    public string DataDirectory => Path.GetFullPath(Data);

    /// <summary>The worker's settings; the host's own timeouts and limits are added by the caller.</summary>
    public TrainerWorkerOptions ToWorkerOptions() => new()
    {
        Device = Device,
        ScratchDirectory = Path.Combine(DataDirectory, "worker"),
        HeartbeatInterval = Durations.Parse(HeartbeatInterval, "--heartbeat-interval"),
        Checkpoints = new CheckpointCadence { Interval = Durations.Parse(CheckpointEvery, "--checkpoint-every"), Steps = CheckpointSteps },
    };
}
