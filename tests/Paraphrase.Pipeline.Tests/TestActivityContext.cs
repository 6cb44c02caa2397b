using Microsoft.DurableTask;

namespace Paraphrase.Pipeline.Tests;

/// <summary>What an activity is told about its call, for calling activities directly.</summary>
internal sealed class TestActivityContext(string name, string instanceId) : TaskActivityContext
{
    public override TaskName Name { get; } = name;

    public override string InstanceId { get; } = instanceId;
}

[CollectionDefinition(Name)]
public sealed class AzuriteTests : ICollectionFixture<Paraphrase.Testing.AzuriteFixture>
{
    public const string Name = "Azurite";
}
