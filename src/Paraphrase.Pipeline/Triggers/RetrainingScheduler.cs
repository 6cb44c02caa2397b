using Cronos;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Paraphrase.Pipeline.Orchestration;
using Paraphrase.Pipeline.Runs;
using Paraphrase.Pipeline.Storage;

namespace Paraphrase.Pipeline.Triggers;

/// <summary>
/// Scheduled retraining: each dataset's cron (pipeline.json <c>schedule</c>, else the host's default) starts a run of the
/// folder's current snapshot. One run per dataset at a time; an unchanged snapshot whose run already completed is
/// recorded as skipped. The Functions timer trigger calls <see cref="FireDueAsync(DurableTaskClient, CancellationToken)"/> with its own client.
/// </summary>
public sealed partial class RetrainingScheduler(ArtifactStore store, IServiceProvider services, PipelineOptions options, TimeProvider clock,
    ILogger<RetrainingScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(15), clock);
        do
        {
            try
            {
                await FireDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Failed(logger, e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Fires with the host's durable client.</summary>
    public Task FireDueAsync(CancellationToken cancellationToken) => FireDueAsync(services.GetRequiredService<DurableTaskClient>(), cancellationToken);

    /// <summary>Starts the runs whose schedule has come due since it last fired (a schedule seen for the first time starts counting now).</summary>
    public async Task FireDueAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        var saved = await store.ReadJsonAsync<ScheduleState>(ArtifactPaths.ScheduleState, cancellationToken);
        var state = saved?.Value ?? new ScheduleState();
        var planner = services.GetRequiredService<RunPlanner>();
        var now = clock.GetUtcNow();
        bool changed = false;
        foreach (string dataset in await DatasetFoldersAsync(cancellationToken))
        {
            var last = state.Datasets.GetValueOrDefault(dataset);
            try
            {
                string? schedule = (await planner.ReadSettingsAsync(dataset, cancellationToken)).Schedule ?? options.DefaultSchedule;
                if (schedule is null)
                {
                    continue;
                }

                if (last is null || last.Schedule != schedule)
                {
                    state.Datasets[dataset] = new ScheduledFiring(now, schedule, "scheduled", null, $"next at {Next(schedule, now):u}");
                    changed = true;
                    continue;
                }

                if (Next(schedule, last.At) is not { } due || due > now)
                {
                    continue;
                }

                state.Datasets[dataset] = await FireAsync(client, planner, dataset, schedule, now, cancellationToken);
                changed = true;
            }
            catch (PipelineFailedException e)
            {
                // A bad cron expression or pipeline.json holds up its own dataset only, and is recorded once.
                if (last?.Outcome != "invalid" || last.Detail != e.Message)
                {
                    Fired(logger, dataset, "invalid", e.Message);
                    state.Datasets[dataset] = new ScheduledFiring(now, last?.Schedule ?? "", "invalid", null, e.Message);
                    changed = true;
                }
            }
        }

        if (changed)
        {
            await store.WriteJsonAsync(ArtifactPaths.ScheduleState, state, WriteIf.Unchanged(saved?.ETag), cancellationToken);
        }
    }

    public static DateTimeOffset? Next(string schedule, DateTimeOffset after)
    {
        try
        {
            return CronExpression.Parse(schedule).GetNextOccurrence(after, TimeZoneInfo.Utc);
        }
        catch (CronFormatException e)
        {
            throw new PipelineFailedException($"schedule '{schedule}' is not a five-field cron expression ({e.Message}), e.g. '0 3 * * 1' for Mondays at 03:00 UTC");
        }
    }

    private async Task<ScheduledFiring> FireAsync(DurableTaskClient client, RunPlanner planner, string dataset, string schedule, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        await foreach (var instance in client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = dataset + "-", Statuses = [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running] }))
        {
            if (!RunPlanner.IsRunOf(instance.InstanceId, dataset))
            {
                continue;
            }

            Fired(logger, dataset, "busy", instance.InstanceId);
            return new ScheduledFiring(now, schedule, "busy", instance.InstanceId, "a run of this dataset is in progress");
        }

        try
        {
            var started = await new PipelineRunStarter(client, planner).StartAsync(new RunRequest(dataset, Trigger: "schedule"), cancellationToken: cancellationToken);
            // Only an unchanged snapshot that already trained successfully is skipped; one whose run failed or was terminated
            // waits for someone to look (a forced run retrains it), rather than failing again every time.
            string outcome = started.Created ? "started" : started.Status == OrchestrationRuntimeStatus.Completed ? "skipped" : "not-retried";
            Fired(logger, dataset, outcome, started.RunId);
            return new ScheduledFiring(now, schedule, outcome, started.RunId, started.Created ? null
                : $"unchanged snapshot: run {started.RunId} is {started.Status}{(outcome == "skipped" ? "" : "; start it with force to retrain")}");
        }
        catch (PipelineFailedException e)
        {
            Fired(logger, dataset, "failed", e.Message);
            return new ScheduledFiring(now, schedule, "failed", null, e.Message);
        }
    }

    private async Task<IReadOnlyList<string>> DatasetFoldersAsync(CancellationToken cancellationToken) =>
        [.. (await store.ListAsync(new BlobPath(ArtifactPaths.Datasets, ""), cancellationToken)).Select(b => UploadSettle.DatasetOf(b.RelativeName)).OfType<string>().Distinct()];

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled retraining of {Dataset}: {Outcome} ({Detail})")]
    private static partial void Fired(ILogger logger, string dataset, string outcome, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scheduled retraining check failed, retrying: {Reason}")]
    private static partial void Failed(ILogger logger, string reason);
}
