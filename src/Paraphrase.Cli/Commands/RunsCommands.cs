using System.ComponentModel;
using System.Text.Json;
using Paraphrase.Cli.Console;
using Paraphrase.Cli.Settings;
using Paraphrase.Pipeline.Api;
using Paraphrase.Pipeline.Storage;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Paraphrase.Cli.Commands;

[Description("List the pipeline's runs (newest first).")]
public sealed class RunsListCommand : AsyncCommand<RunsListCommand.Options>
{
    public sealed class Options : PipelineClientSettings
    {
        [CommandOption("-d|--dataset <NAME>")]
        public string? Dataset { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Options settings, CancellationToken cancellationToken)
    {
        var runs = await PipelineApiClient.Create(settings.Url, settings.ResolvedApiKey).ListAsync(settings.Dataset, cancellationToken);
        Terminal.Out.Write(RunDisplay.List(runs));
        return 0;
    }
}

/// <summary>Arguments of the commands about one run.</summary>
public class RunSettings : PipelineClientSettings
{
    [CommandArgument(0, "<RUN-ID>")]
    public string Id { get; init; } = "";
}

[Description("Show one run as JSON: status, stage, progress, metrics, promotion decision or error.")]
public sealed class RunsShowCommand : AsyncCommand<RunSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, RunSettings settings, CancellationToken cancellationToken)
    {
        var run = await PipelineApiClient.Create(settings.Url, settings.ResolvedApiKey).GetAsync(settings.Id, cancellationToken)
            ?? throw new ArgumentException($"no run '{settings.Id}' (list them with: paraphrase runs list)");
        Terminal.Raw(JsonSerializer.Serialize(run, PipelineJson.Options));
        return 0;
    }
}

[Description("Follow a run stage by stage until it ends; exits 0 if it completed.")]
public sealed class RunsWatchCommand : AsyncCommand<RunSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, RunSettings settings, CancellationToken cancellationToken)
    {
        var run = await RunDisplay.WatchAsync(PipelineApiClient.Create(settings.Url, settings.ResolvedApiKey), settings.Id, cancellationToken);
        RunDisplay.Outcome(run);
        return run.RuntimeStatus == "Completed" ? 0 : 1;
    }
}
