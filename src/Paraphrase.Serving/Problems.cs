using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Paraphrase.Serving;

/// <summary>RFC 9457 problem details, the body of every error the service returns, through ASP.NET Core's own <see cref="ProblemHttpResult"/>.</summary>
internal static class Problems
{
    public static IResult Result(int status, string title, string detail, IDictionary<string, string>? headers = null) =>
        headers is null ? TypedResults.Problem(detail, statusCode: status, title: title) : new WithHeaders(TypedResults.Problem(detail, statusCode: status, title: title), headers);

    /// <summary>503 before the first model is promoted. A promotion is usually minutes away (a training run),
    /// so clients are asked to come back in seconds, not at once.</summary>
    public static IResult NoModel() => Result(503, "No model yet",
        "No model has been promoted yet: upload a dataset or start a run; the service picks up the champion as soon as one is promoted.",
        new Dictionary<string, string> { ["Retry-After"] = "10" });

    /// <summary>A problem with response headers (Retry-After), which <see cref="TypedResults.Problem(string?, string?, int?, string?, string?, IDictionary{string, object?}?)"/> cannot carry.</summary>
    private sealed class WithHeaders(ProblemHttpResult problem, IDictionary<string, string> headers) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => problem.StatusCode;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            foreach (var (name, value) in headers)
            {
                httpContext.Response.Headers[name] = value;
            }

            return problem.ExecuteAsync(httpContext);
        }
    }
}
