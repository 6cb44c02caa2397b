using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Paraphrase.Pipeline.Jobs;

namespace Paraphrase.Worker;

/// <summary>Wires the trainer worker into a host: the same code in <c>paraphrase worker</c> and in <c>paraphrase host</c>.</summary>
public static class WorkerServiceCollectionExtensions
{
    /// <summary>Needs the pipeline's services (<c>AddParaphrasePipeline</c>), whose job queue it receives from.</summary>
    public static IServiceCollection AddTrainerWorker(this IServiceCollection services, TrainerWorkerOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<TrainerJobProcessor>();
        services.AddHostedService<TrainerWorker>();
        return services;
    }
}
