using System.Text.Json.Nodes;
using Herald.Audit;
using Herald.Core.Knowledge;
using Herald.Server.Security;

namespace Herald.Server.Endpoints;

/// <summary>
/// <c>GET /health</c> (open): up, which knowledge base, which audit backend and jti replay cache, whether it takes records now (a SQLite file deleted
/// under the server counts as not), how many wait in the spool and in the commit queue. No patient data.
/// </summary>
public static class HealthEndpoints
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/health", async (HttpContext context, KnowledgeBase knowledge, DurableAuditWriter writer, CdsAuthStatus auth, IJtiReplayCache replays) =>
        {
            var audit = writer.Health;
            var body = new JsonObject
            {
                ["status"] = audit.StoreReachable ? "ok" : "degraded",
                ["knowledgeBaseVersion"] = knowledge.Version,
                ["defaultEdition"] = knowledge.DefaultEdition.Id,
                ["authentication"] = auth.Mode,
                ["replayCache"] = replays.Backend,
                ["audit"] = new JsonObject
                {
                    ["backend"] = AuditStoreFactory.Describe(writer),
                    ["storeReachable"] = audit.StoreReachable,
                    ["waitingInSpool"] = audit.Pending,
                    ["queued"] = audit.Queued,
                    ["queueCapacity"] = audit.Capacity,
                    ["commits"] = audit.Commits,
                    ["refusedQueueFull"] = audit.Refused,
                    ["lastStoreError"] = audit.StoreReachable ? null : audit.LastStoreError,
                },
            };
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(body.ToJsonString(Json.Indented), context.RequestAborted);
        }).AllowAnonymous();
}
