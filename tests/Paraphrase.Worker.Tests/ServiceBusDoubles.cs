using Azure.Messaging.ServiceBus;

namespace Paraphrase.Worker.Tests;

/// <summary>
/// A Service Bus queue in memory behind the SDK's own receiver and sender types (their protected constructors exist for
/// this): what the code under test receives, and every settlement it makes.
/// </summary>
internal sealed class FakeServiceBusReceiver : ServiceBusReceiver
{
    public Queue<ServiceBusReceivedMessage> Incoming { get; } = new();

    public List<ServiceBusReceivedMessage> Completed { get; } = [];

    public List<ServiceBusReceivedMessage> Abandoned { get; } = [];

    public List<(ServiceBusReceivedMessage Message, string Reason, string? Description)> DeadLettered { get; } = [];

    public int LockRenewals { get; private set; }

    public int Settlements => Completed.Count + Abandoned.Count + DeadLettered.Count;

    /// <summary>There is no connection to close.</summary>
    public override Task CloseAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public override Task<ServiceBusReceivedMessage> ReceiveMessageAsync(TimeSpan? maxWaitTime = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(Incoming.TryDequeue(out var message) ? message : null!);

    public override Task CompleteMessageAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default)
    {
        Completed.Add(message);
        return Task.CompletedTask;
    }

    public override Task AbandonMessageAsync(ServiceBusReceivedMessage message, IDictionary<string, object>? propertiesToModify = null,
        CancellationToken cancellationToken = default)
    {
        Abandoned.Add(message);
        return Task.CompletedTask;
    }

    public override Task DeadLetterMessageAsync(ServiceBusReceivedMessage message, string deadLetterReason, string? deadLetterErrorDescription = null,
        CancellationToken cancellationToken = default)
    {
        DeadLettered.Add((message, deadLetterReason, deadLetterErrorDescription));
        return Task.CompletedTask;
    }

    public override Task RenewMessageLockAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default)
    {
        LockRenewals++;
        return Task.CompletedTask;
    }

    /// <summary>Queues a message as the broker would deliver it: with a lock token and its delivery count.</summary>
    public ServiceBusReceivedMessage Deliver(BinaryData body, int deliveryCount = 1, string? messageId = null)
    {
        var message = ServiceBusModelFactory.ServiceBusReceivedMessage(body, messageId: messageId ?? Guid.NewGuid().ToString("N"),
            lockTokenGuid: Guid.NewGuid(), deliveryCount: deliveryCount, lockedUntil: DateTimeOffset.UtcNow.AddMinutes(1));
        Incoming.Enqueue(message);
        return message;
    }
}

internal sealed class FakeServiceBusSender : ServiceBusSender
{
    public List<ServiceBusMessage> Sent { get; } = [];

    public override Task CloseAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public override Task SendMessageAsync(ServiceBusMessage message, CancellationToken cancellationToken = default)
    {
        Sent.Add(message);
        return Task.CompletedTask;
    }
}
