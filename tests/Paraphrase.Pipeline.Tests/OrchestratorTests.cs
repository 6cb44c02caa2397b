using System.Collections.Concurrent;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Paraphrase.Core.Artifacts;
using Paraphrase.Pipeline.Activities;
using Paraphrase.Pipeline.Contracts;
using Paraphrase.Pipeline.Jobs;
using Paraphrase.Pipeline.Orchestration;

namespace Paraphrase.Pipeline.Tests;

/// <summary>
/// The orchestrator's decisions on the in-memory durable backend, with the activities replaced by scripted doubles:
/// which stages run, what a dead worker or a failed job does to the run, and when the gate is consulted again.
/// </summary>
public sealed class OrchestratorTests
{
    private static readonly MetricSummary Good = new(40, 0.8, 0.85, 0.8, 0.9);

    private static PipelineRunInput Input(string id) => new(id, "tiny", [new DatasetFileRef("train", "tiny/train.tsv", "\"1\"", "aa")], "base", new TrainingOptions(),
        new PromotionRule(), 0.1, "test", new JobWatchSettings
        {
            PollInterval = TimeSpan.FromMilliseconds(100), MaxPollInterval = TimeSpan.FromMilliseconds(200), HeartbeatTimeout = TimeSpan.FromSeconds(30), MaxAttempts = 2,
        });

    /// <summary>The activities' doubles; <see cref="JobScript"/> says what job.json reads for each kind and attempt.</summary>
    private sealed class World
    {
        public ConcurrentQueue<TrainerJob> Dispatched { get; } = new();

        public ConcurrentQueue<RunRecord> Records { get; } = new();

        public int Evaluations;

        public int Ingests;

        public Func<JobQuery, int, JobStatusFile> JobScript { get; set; } = (query, attempt) => Done(query, attempt);

        public Func<int, PromotionDecision> Gate { get; set; } = _ => new PromotionDecision(true, "promoted: first model", null);

        public Func<IngestResult> Ingest { get; set; } = () => new IngestResult([new IngestedSplit("train", "r/data/train.jsonl", "h1", 36, 18, "tiny/train.tsv"),
            new IngestedSplit("dev", "r/data/dev.jsonl", "h2", 4, 2, "held-out")], true);

        public static JobStatusFile Done(JobQuery query, int attempt) => new()
        {
            RunId = query.RunId, Kind = query.Kind, State = JobState.Completed, Attempt = attempt, UpdatedAt = DateTimeOffset.UtcNow,
            Result = query.Kind == JobKind.PrepareBaseModel ? JobResults.ToNode(new BaseModelInfo("k", "base", "models/base/k/", "v", 128, 2, 32)) : null,
        };

        public void Register(DurableTaskRegistry registry)
        {
            registry.AddOrchestrator<TrainingPipelineOrchestrator>();
            registry.AddActivityFunc<PipelineRunInput, IngestResult>(nameof(IngestDatasetActivity), (_, _) =>
            {
                Interlocked.Increment(ref Ingests);
                return Ingest();
            });
            registry.AddActivityFunc<TokenizeInput, TokenizeResult>(nameof(TokenizeDatasetActivity), (_, input) =>
                new TokenizeResult([.. input.Data.Splits.Select(s => new TokenShardRef(s.Name, "key", $"key/{s.Name}.tokens.jsonl", s.Pairs, 0, false))]));
            registry.AddActivityFunc<TrainerJob, JobStatusFile>(nameof(DispatchJobActivity), (_, job) =>
            {
                Dispatched.Enqueue(job);
                return new JobStatusFile { RunId = job.RunId, Kind = job.Kind, State = JobState.Queued, Attempt = job.Attempt, UpdatedAt = DateTimeOffset.UtcNow };
            });
            registry.AddActivityFunc<JobQuery, JobStatusFile>(nameof(ReadJobStatusActivity), (_, query) =>
                JobScript(query, Dispatched.Count(d => d.Kind == query.Kind)));
            registry.AddActivityFunc<EvaluateInput, CandidateEvaluation>(nameof(EvaluateCandidateActivity), (_, _) =>
            {
                Interlocked.Increment(ref Evaluations);
                return new CandidateEvaluation([new SplitScore("dev", Good, null)], null, null, true, "fused");
            });
            registry.AddActivityFunc<PromoteInput, PromotionDecision>(nameof(PromoteCandidateActivity), (_, _) => Gate(Evaluations));
            registry.AddActivityFunc<RecordRunInput, bool>(nameof(RecordRunActivity), (_, input) =>
            {
                Records.Enqueue(input.Record);
                return true;
            });
        }
    }

    private static async Task<(OrchestrationMetadata Result, World World)> RunAsync(World world, string id)
    {
        await using var host = await DurableTaskTestHost.StartAsync(world.Register);
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(TrainingPipelineOrchestrator), Input(id), new StartOrchestrationOptions { InstanceId = id });
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var result = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
        return (result, world);
    }

    [Fact]
    public async Task AllStagesRunInOrderAndTheOutputCarriesTheDecision()
    {
        var (result, world) = await RunAsync(new World(), "tiny-000000000001");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, result.RuntimeStatus);
        var output = result.ReadOutputAs<PipelineRunOutput>()!;
        Assert.True(output.Promoted);
        Assert.Equal(0.8, output.Metrics.Accuracy);
        Assert.Equal([JobKind.PrepareBaseModel, JobKind.Train, JobKind.Export], world.Dispatched.Select(d => d.Kind));
        var last = world.Records.Last();
        Assert.Equal(RunRecord.Completed, last.Status);
        Assert.Equal(PipelineStages.Ordered, last.Stages.Select(s => s.Name));
        Assert.All(last.Stages, s => Assert.NotNull(s.FinishedAt));
        Assert.Equal("done", result.ReadCustomStatusAs<PipelineStatus>()!.Stage);
    }

    [Fact]
    public async Task AFailedJobFailsTheRunWithTheWorkersMessage()
    {
        var world = new World
        {
            JobScript = (query, attempt) => query.Kind == JobKind.Train
                ? World.Done(query, attempt) with { State = JobState.Failed, Error = "tiny/train.tsv: every training pair has label 1" }
                : World.Done(query, attempt),
        };
        var (result, _) = await RunAsync(world, "tiny-000000000002");
        Assert.Equal(OrchestrationRuntimeStatus.Failed, result.RuntimeStatus);
        Assert.Contains("fine-tuning job failed: tiny/train.tsv: every training pair has label 1", result.FailureDetails!.ErrorMessage);
        Assert.Equal(RunRecord.Failed, world.Records.Last().Status);
        Assert.DoesNotContain(world.Dispatched, d => d.Kind == JobKind.Export);
    }

    [Fact]
    public async Task ASilentWorkerGetsTheJobDispatchedAgain()
    {
        var world = new World();
        world.JobScript = (query, attempt) => query.Kind == JobKind.Train && attempt == 1
            ? World.Done(query, attempt) with { State = JobState.Running, Heartbeat = DateTimeOffset.UtcNow.AddHours(-1) }
            : World.Done(query, attempt);
        var (result, _) = await RunAsync(world, "tiny-000000000003");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, result.RuntimeStatus);
        Assert.Equal([1, 2], world.Dispatched.Where(d => d.Kind == JobKind.Train).Select(d => d.Attempt));
        Assert.Equal(2, world.Records.Last().Stages.Single(s => s.Name == PipelineStages.Train).Attempts);
    }

    [Fact]
    public async Task AWorkerThatKeepsDyingFailsTheRunAfterTheLastAttempt()
    {
        var world = new World
        {
            JobScript = (query, attempt) => query.Kind == JobKind.Train
                ? World.Done(query, attempt) with { State = JobState.Running, Heartbeat = DateTimeOffset.UtcNow.AddHours(-1), Error = "killed" }
                : World.Done(query, attempt),
        };
        var (result, _) = await RunAsync(world, "tiny-000000000004");
        Assert.Equal(OrchestrationRuntimeStatus.Failed, result.RuntimeStatus);
        Assert.Contains("stopped answering 2 times", result.FailureDetails!.ErrorMessage);
    }

    [Fact]
    public async Task AChampionThatChangedDuringEvaluationIsComparedAgain()
    {
        var world = new World { Gate = evaluations => evaluations < 2 ? new PromotionDecision(false, "changed", "other", ChampionChanged: true) : new PromotionDecision(false, "not promoted: accuracy", "other") };
        var (result, _) = await RunAsync(world, "tiny-000000000005");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, result.RuntimeStatus);
        Assert.Equal(2, world.Evaluations);
        Assert.False(result.ReadOutputAs<PipelineRunOutput>()!.Promoted);
    }

    [Fact]
    public async Task APermanentFailureIsNotRetried()
    {
        var world = new World { Ingest = () => throw new PipelineFailedException("datasets/tiny/train.tsv:7: label: 'maybe' is not 0 or 1") };
        var (result, _) = await RunAsync(world, "tiny-000000000006");
        Assert.Equal(OrchestrationRuntimeStatus.Failed, result.RuntimeStatus);
        Assert.Contains("train.tsv:7", result.FailureDetails!.ErrorMessage);
        Assert.Equal(1, world.Ingests);
    }
}
