using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Paraphrase.Serving;

/// <summary>RFC 9457 problem details, the body of every error the service returns.</summary>
internal static class Problems
{
    public static Task Write(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new { type = "about:blank", title, status, detail }));
    }

    public static IResult Result(int status, string title, string detail, IDictionary<string, string>? headers = null) =>
        new ProblemResult(status, title, detail, headers);

    /// <summary>503 before the first model is promoted. A promotion is usually minutes away (a training run),
    /// so clients are asked to come back in seconds, not at once.</summary>
    public static IResult NoModel() => Result(503, "No model yet",
        "No model has been promoted yet: upload a dataset or start a run; the service picks up the champion as soon as one is promoted.",
        new Dictionary<string, string> { ["Retry-After"] = "10" });

    private sealed class ProblemResult(int status, string title, string detail, IDictionary<string, string>? headers) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => status;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            {
                httpContext.Response.Headers[name] = value;
            }

            return Write(httpContext, status, title, detail);
        }
    }
}
