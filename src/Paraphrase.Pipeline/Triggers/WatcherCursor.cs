namespace Paraphrase.Pipeline.Triggers;

/// <summary>
/// <c>pipeline/watcher.json</c>: for each dataset folder, the fingerprint of the contents a run was last started for, so a
/// restarted watcher does not start again what it already started.
/// </summary>
public sealed record WatcherCursor
{
    public Dictionary<string, string> Started { get; init; } = [];
}
