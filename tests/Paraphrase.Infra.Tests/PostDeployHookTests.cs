using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.Azure.Functions.Worker;
using Paraphrase.Functions;
using Paraphrase.Functions.Triggers;

namespace Paraphrase.Infra.Tests;

/// <summary>
/// infra/hooks/postdeploy.sh run against stand-ins for the Azure CLI and curl: it fetches the blob extension's key and
/// deploys eventgrid.bicep with it, passing the key in a parameters file (gone afterwards), never on a command line.
/// </summary>
[Collection(UsesCompiledInfra.Name)]
public sealed class PostDeployHookTests(CompiledInfra infra) : IDisposable
{
    private const string Key = "blobs-extension-key-0123456789";

    private readonly string _directory = Directory.CreateTempSubdirectory("postdeploy-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task TheHookDeploysTheEventGridTemplateWithTheKeyInAFileOnly()
    {
        string bin = Directory.CreateDirectory(Path.Combine(_directory, "bin")).FullName;
        string calls = Path.Combine(_directory, "az-calls.txt");
        string captured = Path.Combine(_directory, "parameters.json");
        // The stand-in az answers the key query and keeps a copy of the parameters file it is given.
        WriteScript(Path.Combine(bin, "az"), $$"""
            #!/bin/sh
            echo "$*" >> '{{calls}}'
            case "$*" in
              "functionapp keys list"*) echo '{{Key}}' ;;
              "deployment group create"*)
                for word in "$@"; do
                  case "$word" in @*) file="${word#@}"; cp "$file" '{{captured}}'; echo "$file" > '{{captured}}.path' ;; esac
                done ;;
            esac
            """);
        WriteScript(Path.Combine(bin, "curl"), "#!/bin/sh\nexit 0\n");

        var result = await ProcessRunner.RunAsync("sh", [InfraPaths.InRepository("infra", "hooks", "postdeploy.sh")], InfraPaths.RepositoryRoot, new Dictionary<string, string>
        {
            ["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}",
            ["AZURE_RESOURCE_GROUP"] = "rg-test",
            ["AZURE_FUNCTION_APP_NAME"] = "func-test",
            ["AZURE_FUNCTION_APP_URL"] = "https://func-test.azurewebsites.net",
            ["AZURE_EVENT_GRID_TOPIC_NAME"] = "evgt-test",
        });
        Assert.True(result.ExitCode == 0, result.Describe());

        string[] commandLines = File.ReadAllLines(calls);
        Assert.DoesNotContain(commandLines, line => line.Contains(Key, StringComparison.Ordinal));
        string deploy = Assert.Single(commandLines, line => line.StartsWith("deployment group create", StringComparison.Ordinal));
        Assert.Contains("--resource-group rg-test", deploy, StringComparison.Ordinal);
        Assert.EndsWith("eventgrid.bicep", deploy.Split(' ').SkipWhile(w => w != "--template-file").ElementAt(1), StringComparison.Ordinal);

        var parameters = JsonNode.Parse(File.ReadAllText(captured))!["parameters"]!.AsObject();
        Assert.Equal(Key, parameters["blobsExtensionKey"]!["value"]!.GetValue<string>());
        Assert.Equal("evgt-test", parameters["eventGridTopicName"]!["value"]!.GetValue<string>());
        Assert.Equal("func-test", parameters["functionAppName"]!["value"]!.GetValue<string>());
        Assert.False(File.Exists(File.ReadAllText(captured + ".path").Trim()), "the parameters file holding the key was left behind");

        // The file fills exactly the parameters eventgrid.bicep requires, and the key is a secure one there.
        var declared = infra.EventGrid.Template["parameters"]!.AsObject();
        Assert.All(parameters, p => Assert.True(declared.ContainsKey(p.Key), $"eventgrid.bicep has no parameter {p.Key}"));
        Assert.All(declared.Where(p => p.Value!["defaultValue"] is null), p => Assert.True(parameters.ContainsKey(p.Key), $"the hook does not pass {p.Key}"));
        Assert.Equal("securestring", declared["blobsExtensionKey"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void TheSubscriptionDeliversUploadsUnderDatasetsToTheBlobTrigger()
    {
        var subscription = infra.EventGrid.Single("Microsoft.EventGrid/systemTopics/eventSubscriptions").Properties;
        Assert.Equal(["Microsoft.Storage.BlobCreated"], subscription["filter"]!["includedEventTypes"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Contains("/blobServices/default/containers/", infra.EventGrid.ResolveText(subscription["filter"]!["subjectBeginsWith"]), StringComparison.Ordinal);
        string container = infra.EventGrid.ResolveText(infra.EventGrid.Template["parameters"]!["container"]!["defaultValue"]);
        string functionName = infra.EventGrid.ResolveText(infra.EventGrid.Template["parameters"]!["functionName"]!["defaultValue"]);
        string endpoint = infra.EventGrid.ResolveText(subscription["destination"]!["properties"]!["endpointUrl"]);
        Assert.Contains("/runtime/webhooks/blobs?functionName=Host.Functions.", endpoint, StringComparison.Ordinal);

        // ...which is the Function App's Event Grid blob trigger on that container, over the ArtifactStorage settings.
        Assert.Equal(TriggerFunctions.DatasetUploadedName, functionName);
        var trigger = typeof(TriggerFunctions).GetMethod(nameof(TriggerFunctions.DatasetUploaded))!.GetParameters()
            .Select(p => p.GetCustomAttribute<BlobTriggerAttribute>()).Single(a => a is not null)!;
        Assert.Equal(BlobTriggerSource.EventGrid, trigger.Source);
        Assert.StartsWith(container + "/", trigger.BlobPath, StringComparison.Ordinal);
        Assert.Equal(FunctionAppSettings.ArtifactConnection, trigger.Connection);
        Assert.Contains(trigger.Connection + "__blobServiceUri", FunctionAppSettings.Names);
    }

    private static void WriteScript(string path, string text)
    {
        File.WriteAllText(path, text.ReplaceLineEndings("\n"));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
