namespace Paraphrase.Worker.Tests;

/// <summary>The tests that need storage share one Azurite of this run's own.</summary>
[CollectionDefinition(Name)]
public sealed class WorkerOnAzurite : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "worker on Azurite";
}
