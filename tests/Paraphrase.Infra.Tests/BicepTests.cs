namespace Paraphrase.Infra.Tests;

/// <summary>Every Bicep file compiles and passes the linter (with infra/bicepconfig.json's stricter rules) untouched.</summary>
[Collection(UsesCompiledInfra.Name)]
public sealed class BicepTests(CompiledInfra infra)
{
    [Fact]
    public void EveryBicepFileLintsWithoutAFinding() =>
        Assert.True(infra.LintFindings.Count == 0, "bicep lint:\n" + string.Join('\n', infra.LintFindings));

    [Fact]
    public void MainAndTheEventGridTemplateBuildWithoutAFinding() =>
        Assert.True(infra.BuildFindings.Count == 0, "bicep build:\n" + string.Join('\n', infra.BuildFindings));

    [Fact]
    public void EveryModuleIsDeployedByMain()
    {
        string main = File.ReadAllText(Path.Combine(InfraPaths.Infra, "main.bicep"));
        var unused = Directory.GetFiles(Path.Combine(InfraPaths.Infra, "modules"), "*.bicep")
            .Select(file => $"modules/{Path.GetFileName(file)}")
            .Where(module => !main.Contains($"'{module}'", StringComparison.Ordinal))
            .ToList();
        Assert.True(unused.Count == 0, "not used by main.bicep: " + string.Join(", ", unused));
    }

    [Fact]
    public void NothingReadsAKeyOrConnectionStringOfAnyResource()
    {
        // Every identity signs in with Microsoft Entra ID: no list*() call anywhere in what azd or the hook deploys.
        foreach (var template in new[] { infra.Main, infra.EventGrid })
        {
            string json = template.Template.ToJsonString();
            foreach (string marker in new[] { "listKeys(", "listConnectionStrings(", "listCredentials(", "listSecrets(", "AccountKey=", "SharedAccessKey" })
            {
                Assert.DoesNotContain(marker, json, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Fact]
    public void KeyBasedAccessIsOffWherePossible()
    {
        var storage = infra.Main.Single("Microsoft.Storage/storageAccounts").Properties;
        Assert.False(storage["allowSharedKeyAccess"]!.GetValue<bool>());
        Assert.False(storage["allowBlobPublicAccess"]!.GetValue<bool>());
        Assert.Equal("TLS1_2", storage["minimumTlsVersion"]!.GetValue<string>());
        Assert.True(infra.Main.Single("Microsoft.ServiceBus/namespaces").Properties["disableLocalAuth"]!.GetValue<bool>());
        Assert.False(infra.Main.Single("Microsoft.ContainerRegistry/registries").Properties["adminUserEnabled"]!.GetValue<bool>());
        Assert.True(infra.Main.Single("Microsoft.Insights/components").Properties["DisableLocalAuth"]!.GetValue<bool>());
    }
}
