using System.Text.Json.Nodes;

namespace Paraphrase.Infra.Tests;

/// <summary>infra/ linted and compiled once for all the tests that read it.</summary>
public sealed class CompiledInfra : IAsyncLifetime
{
    internal IReadOnlyList<BicepDiagnostic> LintFindings { get; private set; } = [];

    internal IReadOnlyList<BicepDiagnostic> BuildFindings { get; private set; } = [];

    internal ArmDeployment Main { get; private set; } = null!;

    internal ArmDeployment EventGrid { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var lint = BicepCli.LintAllAsync();
        var main = BicepCli.BuildAsync("main.bicep");
        var eventGrid = BicepCli.BuildAsync("eventgrid.bicep");
        LintFindings = await lint;
        Main = new ArmDeployment((await main).Template);
        EventGrid = new ArmDeployment((await eventGrid).Template);
        BuildFindings = [.. (await main).Diagnostics, .. (await eventGrid).Diagnostics];
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>The parameters main.bicep declares.</summary>
    internal JsonObject MainParameters => Main.Template["parameters"]!.AsObject();
}

[CollectionDefinition(Name)]
public sealed class UsesCompiledInfra : ICollectionFixture<CompiledInfra>
{
    public const string Name = "compiled infra";
}
