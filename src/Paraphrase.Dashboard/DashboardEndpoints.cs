using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Paraphrase.Dashboard;

/// <summary>
/// Serves the dashboard: the page at the site's root (<c>/</c>), its assets under <c>/dashboard/</c>. The page calls the
/// API by relative paths (<c>api/pipeline/runs</c>), so it must be served at the root of the host that serves <c>/api</c>.
/// </summary>
public static class DashboardEndpoints
{
    /// <summary>
    /// Maps the page and its assets. They need no API key (they hold no data; the page asks for the key and sends it
    /// with every API call it makes), so this works beside <c>MapParaphraseApi</c> and <c>MapPipelineApi</c> whatever
    /// their keys.
    /// </summary>
    public static IEndpointRouteBuilder MapPipelineDashboard(this IEndpointRouteBuilder app)
    {
        string[] methods = [HttpMethods.Get, HttpMethods.Head];
        app.MapMethods("/", methods, (HttpContext context) => WriteAsync(context, "")).AllowAnonymous().ExcludeFromDescription();
        // "/dashboard/" alone names a folder, not the page: a 404 like any other name that is not a file.
        app.MapMethods($"/{DashboardFiles.AssetRoot}/{{**path}}", methods, (HttpContext context, string? path) => WriteAsync(context, path is { Length: > 0 } ? path : "/dashboard/"))
            .AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// Answers a request for one dashboard file (<paramref name="path"/> relative to <c>/dashboard/</c>; empty for the
    /// page): its bytes, content type, ETag and <see cref="DashboardFiles.Headers"/>; 304 when the browser has it; 404
    /// as problem details when there is no such file. For hosts without endpoint routing, e.g. an HTTP-triggered function.
    /// </summary>
    public static async Task WriteAsync(HttpContext context, string? path)
    {
        var response = context.Response;
        if (DashboardFiles.Find(path) is not { } file)
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            response.ContentType = "application/problem+json";
            await response.WriteAsJsonAsync(new { type = "about:blank", title = "Not found", status = 404, detail = $"The dashboard has no file '{path}'." },
                options: null, contentType: "application/problem+json", context.RequestAborted);
            return;
        }

        foreach (var (name, value) in DashboardFiles.Headers)
        {
            response.Headers[name] = value;
        }

        response.Headers.ETag = file.ETag;
        if (context.Request.Headers.IfNoneMatch.Contains(file.ETag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.ContentType = file.ContentType;
        response.ContentLength = file.Content.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(file.Content, context.RequestAborted);
        }
    }
}
