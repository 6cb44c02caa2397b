using Paraphrase.Pipeline.Storage;

namespace Paraphrase.Pipeline.Activities;

/// <summary>
/// Export folders downloaded from the artifact store into the local cache, one directory a run. A run's export never
/// changes once complete, so a finished download is reused; an unfinished one is replaced.
/// </summary>
public sealed class ModelCache(ArtifactStore store, PipelineOptions options)
{
    public async Task<string> ExportAsync(string runId, CancellationToken cancellationToken = default)
    {
        string directory = Path.Combine(options.CacheDirectory, "models", runId);
        string done = Path.Combine(directory, ".complete");
        if (File.Exists(done))
        {
            return directory;
        }

        string staging = directory + ".partial-" + Environment.ProcessId;
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        await store.DownloadFolderAsync(ArtifactPaths.ExportFolder(runId), staging, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(staging, ".complete"), runId, cancellationToken);
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        Directory.Move(staging, directory);
        return directory;
    }
}
