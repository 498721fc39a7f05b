using Herald.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Herald.Server.Endpoints;

/// <summary>
/// A baseline for bench/load/run.sh only: <c>POST /bench/bare</c> reads the request body as the decision endpoints do
/// and answers with bytes read once from <see cref="BenchOptions.BareAnswerFile"/> (a real answer, precomputed), so a
/// load test can tell what HTTP, authentication and the body cost from what deciding and auditing cost. It is mapped
/// only when that setting names a file; by default the path does not exist (404, or 401 without a token).
/// </summary>
public static class BenchEndpoints
{
    public const string BarePath = "/bench/bare";

    public static void Map(WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<HeraldServerOptions>>().Value;
        if (string.IsNullOrWhiteSpace(options.Bench.BareAnswerFile))
        {
            return;
        }

        var answer = File.ReadAllBytes(options.Bench.BareAnswerFile);
        app.MapPost(BarePath, async context =>
        {
            if (await RequestBody.ReadAsync(context, options.MaxRequestBytes) is null)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                return;
            }

            context.Response.ContentType = "application/json";
            context.Response.ContentLength = answer.Length;
            await context.Response.Body.WriteAsync(answer, context.RequestAborted);
        });
    }
}
