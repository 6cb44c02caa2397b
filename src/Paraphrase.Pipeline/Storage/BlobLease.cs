using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace Paraphrase.Pipeline.Storage;

/// <summary>
/// Mutual exclusion across processes: a lease on an (empty) lock blob. Whoever holds it renews it; it lapses by itself
/// when its holder dies, so a crash never leaves anything locked for longer than the lease's duration (15–60 s, Azure's
/// limits). Used for the run a worker trains and for the champion while a promotion or rollback decides.
/// </summary>
public sealed class BlobLease : IAsyncDisposable
{
    private readonly BlobLeaseClient _lease;

    private BlobLease(BlobLeaseClient lease) => _lease = lease;

    /// <summary>The lease, or null when someone else holds it.</summary>
    public static async Task<BlobLease?> TryAcquireAsync(ArtifactStore store, BlobPath lockBlob, TimeSpan duration, CancellationToken cancellationToken)
    {
        var blob = store.Blob(lockBlob);
        try
        {
            await blob.UploadAsync(BinaryData.FromString(""), new BlobUploadOptions { Conditions = WriteIf.Absent }, cancellationToken);
        }
        catch (RequestFailedException e) when (WriteIf.IsConflict(e))
        {
            // It exists already (and may be leased): only its lease matters.
        }

        var lease = blob.GetBlobLeaseClient();
        try
        {
            await lease.AcquireAsync(duration, cancellationToken: cancellationToken);
            return new BlobLease(lease);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return null;
        }
    }

    /// <summary>Waits for the lease, trying every quarter second; throws <see cref="TimeoutException"/> after <paramref name="wait"/>.</summary>
    public static async Task<BlobLease> AcquireAsync(ArtifactStore store, BlobPath lockBlob, TimeSpan duration, TimeSpan wait, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            if (await TryAcquireAsync(store, lockBlob, duration, cancellationToken) is { } lease)
            {
                return lease;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{lockBlob} stayed locked for {wait.TotalSeconds:F0} s");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
    }

    /// <returns>False when the lease was lost (it lapsed and someone else took it).</returns>
    public async Task<bool> RenewAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _lease.RenewAsync(cancellationToken: cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _lease.ReleaseAsync();
        }
        catch (RequestFailedException)
        {
            // Lapsed or unreachable: it expires by itself.
        }
    }
}
