using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Paraphrase.Pipeline;

/// <summary>
/// A host lifetime that leaves the process's signals to whoever owns the host. The default console lifetime stops its
/// host by itself on SIGTERM and Ctrl-C; a process running several hosts (the local pipeline host with its durable
/// sidecar) then has them stopping at once, in no order, while its own shutdown stops them again. The sidecar's durable
/// provider does not survive being stopped twice, or before it has finished starting: the process aborts. With this
/// lifetime a host stops only when its owner stops it.
/// </summary>
public sealed class CallerOwnedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class CallerOwnedLifetimeExtensions
{
    /// <summary>Replaces the console lifetime: the host stops only through its owner (StopAsync, or RunAsync's token).</summary>
    public static IServiceCollection AddCallerOwnedLifetime(this IServiceCollection services) =>
        services.AddSingleton<IHostLifetime, CallerOwnedLifetime>();
}
