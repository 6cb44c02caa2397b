using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Paraphrase.Serving;

/// <summary>
/// Follows a champion pointer: when it names another model, that model is loaded in the background and swapped
/// in; requests keep being served by the old one until then. A model that fails to load is logged and skipped.
/// A pointer that does not exist yet means nothing has been promoted: the first model is loaded when it appears.
/// </summary>
public sealed partial class ChampionWatcher(string championFile, ModelRegistry models, ServingOptions options, ServingMetrics metrics,
    InferenceOptions inference, ILogger<ChampionWatcher> logger) : BackgroundService
{
    private string? _failed;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (models.Current is null)
        {
            WaitingForChampion(logger, championFile);
        }

        using var timer = new PeriodicTimer(options.ChampionPollInterval);
        do
        {
            // Checked once right away too: the pointer may have been written between start-up and now.
            await FollowAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task FollowAsync(CancellationToken stoppingToken)
    {
        string? target;
        try
        {
            target = ChampionPointer.TryResolve(championFile);
        }
        catch (InferenceException e)
        {
            PointerUnreadable(logger, e.Message);
            return;
        }

        if (target is null || target == models.Current?.Source || target == _failed)
        {
            return;
        }

        try
        {
            var classifier = await Task.Run(() => ParaphraseClassifier.Open(target, options: inference), stoppingToken);
            bool replacing = models.Current is not null;
            models.Swap(classifier, target);
            if (replacing)
            {
                metrics.RecordSwap();
            }

            _failed = null;
            Swapped(logger, target);
        }
        catch (Exception e) when (e is InferenceException or IOException or UnauthorizedAccessException or Core.Tokenization.TokenizationException)
        {
            _failed = target;
            LoadFailed(logger, target, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "No champion at {Pointer} yet; serving nothing until one is promoted")]
    private static partial void WaitingForChampion(ILogger logger, string pointer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Champion pointer unreadable, keeping the current model: {Reason}")]
    private static partial void PointerUnreadable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Now serving {Model}")]
    private static partial void Swapped(ILogger logger, string model);

    [LoggerMessage(Level = LogLevel.Error, Message = "Champion {Model} could not be loaded, keeping the current model: {Reason}")]
    private static partial void LoadFailed(ILogger logger, string model, string reason);
}
