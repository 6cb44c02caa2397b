using System.Text.Json.Nodes;

namespace Paraphrase.Infra.Tests;

/// <summary>azure.yaml and main.parameters.json agree with the template: azd finds every service and fills every parameter.</summary>
[Collection(UsesCompiledInfra.Name)]
public sealed class AzdTests(CompiledInfra infra)
{
    private static readonly Dictionary<string, string> AzureYaml = SimpleYaml.Read(InfraPaths.InRepository("azure.yaml"));

    [Fact]
    public void TheParametersFileFillsParametersMainDeclaresAndEveryRequiredOne()
    {
        var file = JsonNode.Parse(File.ReadAllText(Path.Combine(InfraPaths.Infra, "main.parameters.json")))!["parameters"]!.AsObject();
        var declared = infra.MainParameters;
        var unknown = file.Select(p => p.Key).Where(name => !declared.ContainsKey(name)).ToList();
        Assert.True(unknown.Count == 0, "main.bicep has no parameter " + string.Join(", ", unknown));
        var unfilled = declared.Where(p => p.Value!["defaultValue"] is null && !file.ContainsKey(p.Key)).Select(p => p.Key).ToList();
        Assert.True(unfilled.Count == 0, "required but not in main.parameters.json: " + string.Join(", ", unfilled));
        // Values come from the azd environment, never written into the file.
        Assert.All(file, p => Assert.StartsWith("${", p.Value!["value"]!.GetValue<string>(), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("functions", "function", "Microsoft.Web/sites")]
    [InlineData("worker", "containerapp", "Microsoft.App/jobs")]
    public void EachServiceDeploysToTheResourceTaggedWithItsName(string service, string host, string resourceType)
    {
        Assert.Equal(host, AzureYaml[$"services.{service}.host"]);
        Assert.True(Directory.Exists(InfraPaths.InRepository(AzureYaml[$"services.{service}.project"])), $"{service}: no project directory");
        var resource = infra.Main.Single(resourceType);
        string tags = resource.Deployment.ResolveText(resource.Node["tags"]);
        Assert.Contains($"'azd-service-name', '{service}'", tags, StringComparison.Ordinal);
    }

    [Fact]
    public void TheWorkerImageIsBuiltFromItsDockerfileWithTheRepositoryAsContext()
    {
        string project = InfraPaths.InRepository(AzureYaml["services.worker.project"]);
        Assert.Equal(InfraPaths.InRepository("infra", "docker", "worker.Dockerfile"), Path.GetFullPath(Path.Combine(project, AzureYaml["services.worker.docker.path"])));
        Assert.Equal(InfraPaths.RepositoryRoot.TrimEnd('/'), Path.GetFullPath(Path.Combine(project, AzureYaml["services.worker.docker.context"])).TrimEnd('/'));
        Assert.Equal("true", AzureYaml["services.worker.docker.remoteBuild"]);
        // The registry azd pushes to is an output of main.bicep.
        Assert.True(infra.Main.Template["outputs"]!.AsObject().ContainsKey("AZURE_CONTAINER_REGISTRY_ENDPOINT"));
    }

    [Fact]
    public async Task ThePostdeployHookIsAnExecutableShellScriptThatParses()
    {
        Assert.Equal("sh", AzureYaml["hooks.postdeploy.shell"]);
        string script = InfraPaths.InRepository(AzureYaml["hooks.postdeploy.run"]);
        Assert.True(File.Exists(script), $"{script} does not exist");
        Assert.True(File.GetUnixFileMode(script).HasFlag(UnixFileMode.UserExecute), $"{script} is not executable");
        var syntax = await ProcessRunner.RunAsync("sh", ["-n", script], InfraPaths.RepositoryRoot);
        Assert.True(syntax.ExitCode == 0, syntax.Describe());

        // Every output the hook reads is one main.bicep declares.
        var outputs = infra.Main.Template["outputs"]!.AsObject();
        foreach (string name in new[] { "AZURE_RESOURCE_GROUP", "AZURE_FUNCTION_APP_NAME", "AZURE_FUNCTION_APP_URL", "AZURE_EVENT_GRID_TOPIC_NAME" })
        {
            Assert.Contains(name, File.ReadAllText(script), StringComparison.Ordinal);
            Assert.True(outputs.ContainsKey(name), $"main.bicep has no output {name}");
        }
    }
}
