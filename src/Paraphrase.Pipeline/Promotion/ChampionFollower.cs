using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Paraphrase.Core.Artifacts;
using Paraphrase.Pipeline.Activities;

namespace Paraphrase.Pipeline.Promotion;

/// <summary>
/// Brings the champion from the artifact store to a local server: when <c>models/champion.json</c> names another run, its
/// export is downloaded into the cache and a local champion.json pointing at it is written (atomically), which the
/// serving host follows and hot-swaps.
/// </summary>
public sealed partial class ChampionFollower(ChampionStore champions, ModelCache models, PipelineOptions options, TimeProvider clock,
    ILogger<ChampionFollower> logger) : BackgroundService
{
    /// <summary>The local pointer the serving host follows.</summary>
    public string LocalPointer => Path.Combine(options.CacheDirectory, "champion.json");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        string? followed = null;
        using var timer = new PeriodicTimer(options.ChampionFollowInterval, clock);
        do
        {
            try
            {
                followed = await SyncAsync(followed, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                SyncFailed(logger, e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <returns>The run now served.</returns>
    public async Task<string?> SyncAsync(string? followed, CancellationToken cancellationToken)
    {
        var champion = await champions.GetAsync(cancellationToken);
        if (champion?.Pointer.RunId is not { } runId || runId == followed)
        {
            return followed;
        }

        string directory = await models.ExportAsync(runId, cancellationToken);
        var local = champion.Value.Pointer with { Model = Path.GetRelativePath(options.CacheDirectory, directory) };
        local.Write(LocalPointer);
        Following(logger, runId);
        return runId;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Champion is now {RunId}; serving it")]
    private static partial void Following(ILogger logger, string runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not follow the champion, retrying: {Reason}")]
    private static partial void SyncFailed(ILogger logger, string reason);
}
