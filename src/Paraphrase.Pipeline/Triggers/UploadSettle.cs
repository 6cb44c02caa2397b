using Paraphrase.Pipeline.Storage;

namespace Paraphrase.Pipeline.Triggers;

/// <summary>
/// When a dataset folder's uploads are complete enough to train on: its content changed since the last run was started
/// for it, and nothing in it changed for the settle period. <see cref="DatasetWatcher"/> decides with it, for the local
/// watcher's loop and for the settle orchestration the Event Grid blob trigger starts.
/// </summary>
public static class UploadSettle
{
    /// <summary>A fingerprint of the folder's contents (names and ETags).</summary>
    public static string Fingerprint(IEnumerable<StoredBlob> blobs) =>
        string.Join("|", blobs.OrderBy(b => b.RelativeName, StringComparer.Ordinal).Select(b => $"{b.RelativeName}@{b.ETag}"));

    public static bool IsSettled(IReadOnlyCollection<StoredBlob> blobs, DateTimeOffset now, TimeSpan settle) =>
        blobs.Count > 0 && Remaining(blobs, now, settle) == TimeSpan.Zero;

    /// <summary>How long until the folder has been quiet for <paramref name="settle"/>: zero once it has.</summary>
    public static TimeSpan Remaining(IReadOnlyCollection<StoredBlob> blobs, DateTimeOffset now, TimeSpan settle)
    {
        var quiet = now - blobs.Max(b => b.LastModified);
        return quiet >= settle ? TimeSpan.Zero : settle - quiet;
    }

    /// <summary>The dataset folder of a blob name under datasets/, or null for a blob outside any folder.</summary>
    public static string? DatasetOf(string blobName)
    {
        int slash = blobName.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? blobName[..slash] : null;
    }
}
