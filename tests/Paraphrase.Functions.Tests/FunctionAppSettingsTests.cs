using Microsoft.Extensions.Configuration;
using Paraphrase.Pipeline.Jobs;

namespace Paraphrase.Functions.Tests;

public sealed class FunctionAppSettingsTests
{
    [Fact]
    public void AppSettingsByTheirAzureNamesBecomeThePipelinesOptions()
    {
        // Environment variables reach configuration with "__" read as ":", as the Functions host passes app settings.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(FunctionAppSettings.Names.ToDictionary(n => n.Replace("__", ":", StringComparison.Ordinal),
            n => n switch
            {
                FunctionAppSettings.Transport => "service-bus",
                FunctionAppSettings.ServiceBus => "paraphrase.servicebus.windows.net",
                FunctionAppSettings.JobQueue => "trainer-jobs",
                FunctionAppSettings.DefaultBaseModel => "bert-base-uncased",
                FunctionAppSettings.DefaultSchedule => "0 3 * * 0",
                _ => (string?)"set",
            })).Build();

        var options = FunctionAppSettings.ReadPipeline(configuration);

        Assert.Equal(JobTransportKind.ServiceBus, options.Transport.Kind);
        Assert.Equal("paraphrase.servicebus.windows.net", options.Transport.ServiceBus);
        Assert.Equal("trainer-jobs", options.JobQueue);
        Assert.Equal("bert-base-uncased", options.DefaultBaseModel);
        Assert.Equal("0 3 * * 0", options.DefaultSchedule);
    }

    [Fact]
    public void BlankSettingsKeepTheDefaultsAndMissingStorageSaysWhatToSet()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Pipeline:DefaultSchedule"] = "" }).Build();
        Assert.Null(FunctionAppSettings.ReadPipeline(configuration).DefaultSchedule);

        var e = Assert.Throws<InvalidOperationException>(() => FunctionAppSettings.ConnectArtifacts(configuration));
        Assert.Contains(FunctionAppSettings.ArtifactBlobServiceUri, e.Message);
    }

    [Fact]
    public void ServiceBusWithoutANamespaceIsRefusedAtStartup()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Pipeline:Transport"] = "service-bus" }).Build();
        Assert.Throws<ArgumentException>(() => FunctionAppSettings.ReadPipeline(configuration));
    }

    [Fact]
    public void IdentityBasedArtifactStorageUsesTheEndpointsItIsGiven()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ArtifactStorage:blobServiceUri"] = "https://artifacts.blob.core.windows.net",
            ["ArtifactStorage:queueServiceUri"] = "https://queues.example.net/",
        }).Build();

        var account = FunctionAppSettings.ConnectArtifacts(configuration);

        Assert.Equal("https://artifacts.blob.core.windows.net/", account.Blobs.Uri.ToString());
        Assert.Equal("https://queues.example.net/", account.Queues.Uri.ToString());
    }
}
