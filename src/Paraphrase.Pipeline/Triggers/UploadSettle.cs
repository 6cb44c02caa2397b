using Paraphrase.Pipeline.Storage;

namespace Paraphrase.Pipeline.Triggers;

/// <summary>
/// When a dataset folder's uploads are complete enough to train on: its content changed since the last run was started
/// for it, and nothing in it changed for the settle period. Shared by the local watcher and the Event Grid blob trigger.
/// </summary>
public static class UploadSettle
{
    /// <summary>A fingerprint of the folder's contents (names and ETags).</summary>
    public static string Fingerprint(IEnumerable<StoredBlob> blobs) =>
        string.Join("|", blobs.OrderBy(b => b.RelativeName, StringComparer.Ordinal).Select(b => $"{b.RelativeName}@{b.ETag}"));

    public static bool IsSettled(IReadOnlyCollection<StoredBlob> blobs, DateTimeOffset now, TimeSpan settle) =>
        blobs.Count > 0 && now - blobs.Max(b => b.LastModified) >= settle;

    /// <summary>The dataset folder of a blob name under datasets/, or null for a blob outside any folder.</summary>
    public static string? DatasetOf(string blobName)
    {
        int slash = blobName.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? blobName[..slash] : null;
    }
}
