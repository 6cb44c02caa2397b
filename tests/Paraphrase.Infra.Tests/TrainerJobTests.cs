using System.Text.Json.Nodes;

namespace Paraphrase.Infra.Tests;

/// <summary>The GPU trainer job runs `paraphrase worker` with options the CLI has, scaled on its queue by KEDA.</summary>
[Collection(UsesCompiledInfra.Name)]
public sealed class TrainerJobTests(CompiledInfra infra)
{
    private ArmResource Job => infra.Main.Single("Microsoft.App/jobs");

    private JsonNode Configuration => Job.Properties["configuration"]!;

    [Fact]
    public void TheJobRunsTheWorkerWithOnlyOptionsTheCliHas()
    {
        var commandLine = TrainerJob.CommandLine(Job);
        Assert.Equal(["paraphrase", "worker"], commandLine.Take(2));

        var known = CliOptions.Of("Paraphrase.Cli.Commands.WorkerCommand+Options");
        var arguments = TrainerJob.Arguments(Job);
        var unknown = arguments.Keys.Where(option => !known.Contains(option)).ToList();
        Assert.True(unknown.Count == 0, $"`paraphrase worker` has no option {string.Join(", ", unknown)} (it has {string.Join(", ", known.Order())})");

        Assert.Equal("1", arguments["--max-jobs"]);
        Assert.Equal("cuda", arguments["--device"]);
        // The storage account's https blob endpoint: the worker signs in with DefaultAzureCredential, as the job's identity.
        Assert.Contains("blobEndpoint", arguments["--storage"], StringComparison.Ordinal);
        Assert.Contains(arguments.Keys, option => option == "--idle-exit");
        var env = Job.Properties["template"]!["containers"]![0]!["env"]!.AsArray();
        Assert.Contains(env, variable => variable!["name"]!.GetValue<string>() == "AZURE_CLIENT_ID");
        Assert.DoesNotContain(env, variable => variable!["secretRef"] is not null);
        Assert.Null(Configuration["secrets"]);
    }

    [Fact]
    public void KedaStartsAnExecutionPerQueuedJobSigningInAsTheJobsIdentity()
    {
        Assert.Equal("Event", Configuration["triggerType"]!.GetValue<string>());
        var trigger = Configuration["eventTriggerConfig"]!;
        Assert.Equal(1, trigger["parallelism"]!.GetValue<int>());
        var rule = trigger["scale"]!["rules"]!.AsArray().Single()!;
        Assert.Equal("azure-servicebus", rule["type"]!.GetValue<string>());
        Assert.Null(rule["auth"]);
        Assert.Equal(TrainerJob.Arguments(Job)["--queue"], Job.Deployment.ResolveText(rule["metadata"]!["queueName"]));

        // The scaler and the image pull use the job's user-assigned identity.
        string identity = Job.Deployment.ResolveText(rule["identity"]);
        Assert.Equal(identity, Job.Deployment.ResolveText(Configuration["registries"]![0]!["identity"]));
        Assert.Equal("UserAssigned", Job.Node["identity"]!["type"]!.GetValue<string>());
        Assert.Single(Job.Node["identity"]!["userAssignedIdentities"]!.AsObject());
    }

    [Fact]
    public void AnExecutionMayTrainForHours()
    {
        int timeout = int.Parse(Job.Deployment.ResolveText(Configuration["replicaTimeout"]), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(timeout >= 4 * 3600, $"replicaTimeout {timeout} s is shorter than 4 hours");
        Assert.InRange(Configuration["replicaRetryLimit"]!.GetValue<int>(), 1, 5);
    }

    [Fact]
    public void TheGpuProfileParameterPicksAServerlessGpuWorkloadProfile()
    {
        var allowed = infra.MainParameters["gpuProfile"]!["allowedValues"]!.AsArray().Select(v => v!.GetValue<string>());
        Assert.Equal(["T4", "A100"], allowed);

        var profiles = Job.Deployment.Template["variables"]!["gpuProfiles"]!;
        Assert.Equal("Consumption-GPU-NC8as-T4", profiles["T4"]!["workloadProfileType"]!.GetValue<string>());
        Assert.Equal("Consumption-GPU-NC24-A100", profiles["A100"]!["workloadProfileType"]!.GetValue<string>());

        // The job runs on the environment's GPU profile, not on the CPU-only Consumption one.
        var environment = infra.Main.Single("Microsoft.App/managedEnvironments");
        var gpuProfile = environment.Properties["workloadProfiles"]!.AsArray()
            .Single(p => p!["workloadProfileType"]!.GetValue<string>() != "Consumption")!;
        Assert.Equal(Job.Deployment.ResolveText(gpuProfile["name"]), Job.Deployment.ResolveText(Job.Properties["workloadProfileName"]));
    }
}
