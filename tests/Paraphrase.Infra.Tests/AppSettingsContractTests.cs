using System.Text.Json.Nodes;
using Cronos;
using Paraphrase.Functions;
using Paraphrase.Pipeline.Jobs;

namespace Paraphrase.Infra.Tests;

/// <summary>The Function App's settings in the compiled template are exactly the ones its code reads, and hold no secret.</summary>
[Collection(UsesCompiledInfra.Name)]
public sealed class AppSettingsContractTests(CompiledInfra infra)
{
    private ArmResource FunctionApp => infra.Main.Single("Microsoft.Web/sites");

    private List<(string Name, JsonNode? Value)> Settings =>
        [.. FunctionApp.Properties["siteConfig"]!["appSettings"]!.AsArray().Select(s => (s!["name"]!.GetValue<string>(), s["value"]))];

    private string Setting(string name) => FunctionApp.Deployment.ResolveText(Settings.Single(s => s.Name == name).Value);

    [Fact]
    public void TheAppSettingsAreExactlyTheNamesTheCodeReads()
    {
        var names = Settings.Select(s => s.Name).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        var missing = FunctionAppSettings.Names.Except(names, StringComparer.Ordinal).ToList();
        var extra = names.Except(FunctionAppSettings.Names, StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"read by the code but not set by infra/modules/functionapp.bicep: [{string.Join(", ", missing)}]; set but not read: [{string.Join(", ", extra)}]");
    }

    [Fact]
    public void NoSettingHoldsAKeyOrConnectionString()
    {
        foreach (var (name, value) in Settings)
        {
            string text = value?.ToJsonString() ?? "";
            foreach (string marker in new[] { "AccountKey=", "SharedAccessKey", "listKeys(", "DefaultEndpointsProtocol", "Endpoint=sb://" })
            {
                Assert.False(text.Contains(marker, StringComparison.OrdinalIgnoreCase), $"{name} holds '{marker}': {text}");
            }
        }

        // Identity-based connections: account names and endpoints, never a connection string.
        Assert.DoesNotContain(Settings, s => s.Name is "AzureWebJobsStorage" or "ArtifactStorage");
    }

    [Fact]
    public void TheFunctionAppSendsJobsWhereTheTrainerJobListens()
    {
        var job = infra.Main.Single("Microsoft.App/jobs");
        var args = TrainerJob.Arguments(job);
        Assert.Equal(JobTransportKind.ServiceBus, JobTransportSettings.ParseKind(Setting("Pipeline__Transport")));
        Assert.Equal(JobTransportKind.ServiceBus, JobTransportSettings.ParseKind(args["--transport"]));
        Assert.Equal("trainer-jobs", Setting("Pipeline__JobQueue"));
        Assert.Equal(Setting("Pipeline__JobQueue"), args["--queue"]);
        Assert.Equal(Setting("Pipeline__ServiceBus"), args["--service-bus"]);
        Assert.Equal(Setting("ArtifactStorage__blobServiceUri"), args["--storage"]);
    }

    [Fact]
    public void TheDefaultSchedulesParse()
    {
        Assert.Equal("bert-base-uncased", Setting("Pipeline__DefaultBaseModel"));
        Assert.NotNull(CronExpression.Parse(Setting("Pipeline__DefaultSchedule"), CronFormat.Standard));
        // The timer trigger's NCRONTAB has a seconds field.
        Assert.NotNull(CronExpression.Parse(Setting("RetrainCheckSchedule"), CronFormat.IncludeSeconds));
        Assert.Equal("Authorization=AAD", Setting("APPLICATIONINSIGHTS_AUTHENTICATION_STRING"));
    }

    [Fact]
    public void TheAppRunsDotnetIsolatedTenOnFlexConsumption()
    {
        var config = FunctionApp.Properties["functionAppConfig"]!;
        Assert.Equal("dotnet-isolated", config["runtime"]!["name"]!.GetValue<string>());
        Assert.Equal("10.0", config["runtime"]!["version"]!.GetValue<string>());
        Assert.Equal("SystemAssignedIdentity", config["deployment"]!["storage"]!["authentication"]!["type"]!.GetValue<string>());
        Assert.Equal("functionapp,linux", FunctionApp.Node["kind"]!.GetValue<string>());
        Assert.Equal("FlexConsumption", infra.Main.Single("Microsoft.Web/serverfarms").Node["sku"]!["tier"]!.GetValue<string>());
    }
}
