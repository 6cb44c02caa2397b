using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Paraphrase.Inference.Serving;

/// <summary>
/// Follows a champion pointer: when it names another model, that model is loaded in the background and swapped
/// in; requests keep being served by the old one until then. A model that fails to load is logged and skipped.
/// </summary>
public sealed partial class ChampionWatcher(string championFile, ModelRegistry models, ServingOptions options, ServingMetrics metrics,
    InferenceOptions inference, ILogger<ChampionWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        string? failed = null;
        using var timer = new PeriodicTimer(options.ChampionPollInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            string target;
            try
            {
                target = ChampionPointer.Resolve(championFile);
            }
            catch (InferenceException e)
            {
                PointerUnreadable(logger, e.Message);
                continue;
            }

            if (target == models.Current.Source || target == failed)
            {
                continue;
            }

            try
            {
                var classifier = await Task.Run(() => ParaphraseClassifier.Open(target, options: inference), stoppingToken);
                models.Swap(classifier, target);
                metrics.RecordSwap();
                failed = null;
                Swapped(logger, target);
            }
            catch (Exception e) when (e is InferenceException or IOException or Core.Tokenization.TokenizationException)
            {
                failed = target;
                LoadFailed(logger, target, e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Champion pointer unreadable, keeping the current model: {Reason}")]
    private static partial void PointerUnreadable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Now serving {Model}")]
    private static partial void Swapped(ILogger logger, string model);

    [LoggerMessage(Level = LogLevel.Error, Message = "Champion {Model} could not be loaded, keeping the current model: {Reason}")]
    private static partial void LoadFailed(ILogger logger, string model, string reason);
}
