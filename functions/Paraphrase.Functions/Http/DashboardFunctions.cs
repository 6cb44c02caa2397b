using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Paraphrase.Dashboard;

namespace Paraphrase.Functions.Http;

/// <summary>
/// The dashboard's page and assets, at the site root as on the local host. Anonymous: they hold no data; the page asks
/// for a function key and sends it with each API call.
/// </summary>
public static class DashboardFunctions
{
    public const string RootRoute = "{ignored:maxlength(0)?}";

    /// <summary>
    /// The page at "/": the host's own home page is switched off (<see cref="FunctionAppSettings.DisableHomepage"/>) to
    /// free that route, and the route is an optional empty parameter because the host replaces an empty route with the
    /// function's name.
    /// </summary>
    [Function("DashboardPage")]
    public static async Task<IResult> DashboardPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = RootRoute)] HttpRequest request)
    {
        await DashboardEndpoints.WriteAsync(request.HttpContext, "");
        return Results.Empty; // written above, with its headers
    }

    [Function("DashboardAsset")]
    public static async Task<IResult> DashboardAsset([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "dashboard/{*path}")] HttpRequest request,
        string? path)
    {
        await DashboardEndpoints.WriteAsync(request.HttpContext, path is { Length: > 0 } ? path : "/dashboard/");
        return Results.Empty;
    }
}
