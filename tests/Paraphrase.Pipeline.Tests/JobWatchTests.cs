using Paraphrase.Core.Artifacts;
using Paraphrase.Pipeline.Activities;
using Paraphrase.Pipeline.Contracts;
using Paraphrase.Pipeline.Jobs;
using Paraphrase.Pipeline.Orchestration;

namespace Paraphrase.Pipeline.Tests;

/// <summary>
/// The orchestration's watch over a trainer job, decision by decision, with a fake context: when a job is presumed dead
/// and dispatched again, when the run gives up, and what it never does (re-dispatch a job that waits in the queue, or
/// retry one the worker failed).
/// </summary>
public sealed class JobWatchTests
{
    private static readonly DateTime Start = new(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);

    private static readonly JobWatchSettings Watch = new()
    {
        PollInterval = TimeSpan.FromSeconds(2), MaxPollInterval = TimeSpan.FromSeconds(15), HeartbeatTimeout = TimeSpan.FromMinutes(2), MaxAttempts = 3,
    };

    private static readonly PipelineRunInput Input = new("run-000000000000", "run", [], "base", new TrainingOptions(), new PromotionRule(), 0.1, "test", Watch);

    private static readonly TrainerJobPaths Paths = new("base", "key");

    private static JobStatusFile Status(JobState state, int attempt, DateTimeOffset? heartbeat = null, string? error = null) => new()
    {
        RunId = Input.RunId, Kind = JobKind.Train, State = state, Attempt = attempt, UpdatedAt = Start, Heartbeat = heartbeat, Error = error,
        Progress = state == JobState.Running ? new JobProgress(1, 3, 10, 100, 0.5, 2.0) : null,
    };

    private static Task<JobStatusFile> WatchAsync(FakeOrchestrationContext context) =>
        new JobWatch(context, Input, new RunProgress(context, Input)).RunAsync(JobKind.Train, Paths);

    private static List<int> Dispatched(FakeOrchestrationContext context) =>
        [.. context.Calls.Where(c => c.Name == nameof(DispatchJobActivity)).Select(c => ((TrainerJob)c.Input!).Attempt)];

    [Fact]
    public async Task ASilentWorkerIsReplacedByTheNextAttemptUntilTheAttemptsRunOut()
    {
        // Every attempt starts, beats once, then falls silent.
        var context = new FakeOrchestrationContext(Start);
        int attempt = 0;
        DateTimeOffset lastBeat = default;
        context.On<TrainerJob, JobStatusFile>(nameof(DispatchJobActivity), job =>
            {
                attempt = job.Attempt;
                lastBeat = context.CurrentUtcDateTime;
                return Status(JobState.Queued, job.Attempt);
            })
            .On<JobQuery, JobStatusFile>(nameof(ReadJobStatusActivity), _ => Status(JobState.Running, attempt, lastBeat, "CUDA out of memory"));

        var failure = await Assert.ThrowsAsync<PipelineFailedException>(() => WatchAsync(context));

        Assert.Equal([1, 2, 3], Dispatched(context));
        Assert.Contains("stopped answering 3 times", failure.Message, StringComparison.Ordinal);
        Assert.Contains("CUDA out of memory", failure.Message, StringComparison.Ordinal);

        // Nobody is presumed dead early: each new attempt came only after a heartbeat older than the limit.
        Assert.True(context.CurrentUtcDateTime - Start >= 3 * Watch.HeartbeatTimeout);
    }

    [Fact]
    public async Task AJobThatBeatsOnIsWaitedForAndItsProgressShown()
    {
        var context = new FakeOrchestrationContext(Start);
        int reads = 0;
        context.On<TrainerJob, JobStatusFile>(nameof(DispatchJobActivity), job => Status(JobState.Queued, job.Attempt))
            .On<JobQuery, JobStatusFile>(nameof(ReadJobStatusActivity), _ => ++reads < 200
                ? Status(JobState.Running, 1, context.CurrentUtcDateTime)
                : Status(JobState.Completed, 1, context.CurrentUtcDateTime));

        var done = await WatchAsync(context);

        Assert.Equal(JobState.Completed, done.State);
        Assert.Equal([1], Dispatched(context));
        Assert.Contains(context.Statuses.OfType<PipelineStatus>(), s => s.Stage == PipelineStages.Train && s.Progress?.Step == 10);

        // Polled often while young, so a short job is seen to end within seconds; less and less often as it ages, so a
        // long job's orchestration history stays short.
        var gaps = context.Timers.Prepend(Start).Zip(context.Timers, (a, b) => b - a).ToList();
        Assert.Equal(Watch.PollInterval, gaps[0]);
        Assert.Equal(Watch.PollInterval, gaps[10]);
        Assert.Equal(Watch.MaxPollInterval, gaps.Max());
    }

    [Theory]
    [InlineData(900, 100, 1000, 2.0, 15)] // 450 s of steps left: the longest interval
    [InlineData(900, 980, 1000, 2.0, 10)] // 10 s left: looked at again when they should be done
    [InlineData(900, 1000, 1000, 2.0, 2)] // steps done (evaluation and upload remain): the shortest interval
    [InlineData(100, 999, 1000, 0.0, 5)] // no speed yet: by age alone
    [InlineData(30, 0, 1000, 2.0, 2)] // young: the shortest interval
    public void AnOldJobIsLookedAtAgainWhenItsProgressSaysItsStepsWillBeDone(double ageSeconds, int step, int totalSteps, double stepsPerSecond, double expectedSeconds)
    {
        var progress = new JobProgress(1, 3, step, totalSteps, 0.5, stepsPerSecond);

        var next = JobWatch.NextPoll(Watch, TimeSpan.FromSeconds(ageSeconds), progress);

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), next);
    }

    [Fact]
    public async Task AQueuedJobWaitsAsLongAsItTakesPolledLessAndLessOften()
    {
        var context = new FakeOrchestrationContext(Start);
        int reads = 0;
        context.On<TrainerJob, JobStatusFile>(nameof(DispatchJobActivity), job => Status(JobState.Queued, job.Attempt))
            .On<JobQuery, JobStatusFile>(nameof(ReadJobStatusActivity), _ => ++reads < 100 ? Status(JobState.Queued, 1) : Status(JobState.Completed, 1));

        await WatchAsync(context);

        Assert.Equal([1], Dispatched(context));
        Assert.True(context.CurrentUtcDateTime - Start > 5 * Watch.HeartbeatTimeout, "the queue wait should have been long");
        var gaps = context.Timers.Zip(context.Timers.Skip(1), (a, b) => b - a).ToList();
        Assert.Equal(Watch.MaxPollInterval, gaps.Max());
        Assert.True(gaps.SequenceEqual(gaps.Order()), "the poll interval should only grow while the job waits");
    }

    [Fact]
    public async Task AJobTheWorkerFailedFailsTheRunWithTheWorkersMessageAtOnce()
    {
        var context = new FakeOrchestrationContext(Start);
        context.On<TrainerJob, JobStatusFile>(nameof(DispatchJobActivity), job => Status(JobState.Queued, job.Attempt))
            .On<JobQuery, JobStatusFile>(nameof(ReadJobStatusActivity), _ => Status(JobState.Failed, 1, context.CurrentUtcDateTime, "config.json: not a valid config.json"));

        var failure = await Assert.ThrowsAsync<PipelineFailedException>(() => WatchAsync(context));

        Assert.Equal([1], Dispatched(context));
        Assert.Equal("the fine-tuning job failed: config.json: not a valid config.json", failure.Message);
    }
}
