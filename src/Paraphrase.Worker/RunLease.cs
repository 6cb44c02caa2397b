using Azure;
using Azure.Storage.Blobs.Specialized;
using Paraphrase.Pipeline.Storage;

namespace Paraphrase.Worker;

/// <summary>
/// A blob lease on <c>runs/&lt;id&gt;/job.lock</c>: while a worker holds it, no other worker works on the run, even when the
/// same job is delivered to both. Renewed with every heartbeat; it lapses by itself when its worker dies.
/// </summary>
internal sealed class RunLease : IAsyncDisposable
{
    private readonly BlobLeaseClient _lease;

    private RunLease(BlobLeaseClient lease) => _lease = lease;

    /// <summary>The lease, or null when another worker holds it.</summary>
    public static async Task<RunLease?> TryAcquireAsync(ArtifactStore store, string runId, TimeSpan duration, CancellationToken cancellationToken)
    {
        var blob = store.Blob(ArtifactPaths.JobLease(runId));
        try
        {
            await blob.UploadAsync(BinaryData.FromString(""), new Azure.Storage.Blobs.Models.BlobUploadOptions { Conditions = WriteIf.Absent }, cancellationToken);
        }
        catch (RequestFailedException e) when (WriteIf.IsConflict(e))
        {
            // It exists already: fine, only its lease matters.
        }

        var lease = blob.GetBlobLeaseClient();
        try
        {
            await lease.AcquireAsync(duration, cancellationToken: cancellationToken);
            return new RunLease(lease);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return null;
        }
    }

    /// <returns>False when the lease was lost (it lapsed and another worker took it).</returns>
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
