using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using Paraphrase.Functions;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
if (!string.IsNullOrEmpty(builder.Configuration[FunctionAppSettings.ApplicationInsightsConnection]))
{
    // Traces, logs and metrics to Application Insights, sent with the app's identity (local auth is off on the resource).
    builder.Services.AddOpenTelemetry().UseFunctionsWorkerDefaults()
        .UseAzureMonitorExporter(options => options.Credential = new DefaultAzureCredential());
}

builder.Services.AddParaphraseFunctions(builder.Configuration);
builder.Build().Run();
