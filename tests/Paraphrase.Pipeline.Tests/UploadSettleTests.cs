using Paraphrase.Pipeline.Triggers;

namespace Paraphrase.Pipeline.Tests;

/// <summary>The settle orchestration's decisions, one check at a time.</summary>
public sealed class UploadSettleTests
{
    private static readonly DateTime Start = new(2026, 12, 7, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task ItWaitsPastEachSettlePointUntilTheScanStartsARunThenLooksOnceMore()
    {
        var answers = new Queue<UploadScan?>([
            new UploadScan("mrpc", UploadScan.Settling, Wait: TimeSpan.FromSeconds(7)),
            new UploadScan("mrpc", UploadScan.Settling, Wait: TimeSpan.FromSeconds(10)), // another file arrived meanwhile
            new UploadScan("mrpc", UploadScan.Started, RunId: "mrpc-0123456789ab", Wait: TimeSpan.FromSeconds(10)),
            null, // nothing new since
        ]);
        var context = new FakeOrchestrationContext(Start).On<string, UploadScan?>(nameof(ScanUploadActivity), _ => answers.Dequeue());

        var result = await new UploadSettleOrchestrator().RunAsync(context, "mrpc");

        Assert.Equal("mrpc-0123456789ab", result?.RunId);
        Assert.Equal([Start.AddSeconds(8), Start.AddSeconds(19), Start.AddSeconds(30)], context.Timers);
        Assert.All(context.Calls, call => Assert.Equal("mrpc", call.Input));
    }

    [Fact]
    public async Task AnUploadThatLandsAsTheRunStartsGetsARunOfItsOwn()
    {
        var answers = new Queue<UploadScan?>([
            new UploadScan("mrpc", UploadScan.Started, RunId: "mrpc-0123456789ab", Wait: TimeSpan.FromSeconds(10)),
            new UploadScan("mrpc", UploadScan.Settling, Wait: TimeSpan.FromSeconds(4)), // its event was ignored: we were still running
            new UploadScan("mrpc", UploadScan.Started, RunId: "mrpc-ba9876543210", Wait: TimeSpan.FromSeconds(10)),
            null,
        ]);
        var context = new FakeOrchestrationContext(Start).On<string, UploadScan?>(nameof(ScanUploadActivity), _ => answers.Dequeue());

        var result = await new UploadSettleOrchestrator().RunAsync(context, "mrpc");

        Assert.Equal("mrpc-ba9876543210", result?.RunId);
        Assert.Equal(4, context.Calls.Count);
    }

    [Fact]
    public async Task AFolderThatChangedNothingOrCannotBeTrainedEndsItAtOnce()
    {
        var unchanged = new FakeOrchestrationContext(Start).On<string, UploadScan?>(nameof(ScanUploadActivity), _ => null);
        Assert.Null(await new UploadSettleOrchestrator().RunAsync(unchanged, "mrpc"));
        Assert.Empty(unchanged.Timers);

        var broken = new FakeOrchestrationContext(Start).On<string, UploadScan?>(nameof(ScanUploadActivity),
            _ => new UploadScan("mrpc", UploadScan.NotTrainable, Detail: "no train file"));
        Assert.Equal(UploadScan.NotTrainable, (await new UploadSettleOrchestrator().RunAsync(broken, "mrpc"))?.Outcome);
        Assert.Empty(broken.Timers);
    }

    [Fact]
    public async Task AnUploadThatNeverGoesQuietIsGivenUpOnAfterABoundedNumberOfChecks()
    {
        var context = new FakeOrchestrationContext(Start).On<string, UploadScan?>(nameof(ScanUploadActivity),
            _ => new UploadScan("busy", UploadScan.Settling, Wait: TimeSpan.FromSeconds(1)));

        var result = await new UploadSettleOrchestrator().RunAsync(context, "busy");

        Assert.Equal(UploadScan.Settling, result?.Outcome);
        Assert.Equal(UploadSettleOrchestrator.MaxChecks, context.Calls.Count);
        Assert.Equal(UploadSettleOrchestrator.MaxChecks - 1, context.Timers.Count);
    }
}
