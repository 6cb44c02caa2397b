using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Paraphrase.Pipeline.Storage;

namespace Paraphrase.Functions.Tests;

/// <summary>The Function App's own composition (<see cref="FunctionAppServices"/>) over a real Azurite, with the clock in the test's hands.</summary>
internal sealed class FunctionApp : IAsyncDisposable
{
    private FunctionApp(ServiceProvider services, ManualClock clock)
    {
        (Services, Clock) = (services, clock);
    }

    public ServiceProvider Services { get; }

    public ManualClock Clock { get; }

    public RecordingDurableClient Client { get; } = new();

    public ArtifactStore Store => Services.GetRequiredService<ArtifactStore>();

    public TestFunctionContext Context() => new(Services);

    public static async Task<FunctionApp> StartAsync(AzuriteFixture azurite)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [FunctionAppSettings.ArtifactConnection] = azurite.ConnectionString,
            ["Pipeline:Transport"] = "storage-queue",
            ["Pipeline:JobQueue"] = "function-tests",
        }).Build();
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var services = new ServiceCollection().AddLogging().AddSingleton<TimeProvider>(clock).AddParaphraseFunctions(configuration).BuildServiceProvider();
        await services.GetRequiredService<ArtifactStore>().EnsureContainersAsync();
        return new FunctionApp(services, clock);
    }

    /// <summary>A request as the ASP.NET Core integration hands it to an HTTP function.</summary>
    public HttpRequest Request(string method, string path, string? body = null)
    {
        var context = new DefaultHttpContext { RequestServices = Services };
        context.Request.Method = method;
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("paraphrase.example");
        context.Request.Path = path;
        if (body is not null)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(body);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentLength = bytes.Length;
            context.Request.ContentType = "application/json";
        }

        context.Response.Body = new MemoryStream();
        return context.Request;
    }

    /// <summary>Writes a function's result the way the integration does, and reads back status, headers and body.</summary>
    public static async Task<(int Status, IHeaderDictionary Headers, string Body)> ExecuteAsync(IResult result, HttpRequest request)
    {
        await result.ExecuteAsync(request.HttpContext);
        var response = request.HttpContext.Response;
        response.Body.Position = 0;
        return (response.StatusCode, response.Headers, await new StreamReader(response.Body).ReadToEndAsync());
    }

    public ValueTask DisposeAsync() => Services.DisposeAsync();

    internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
