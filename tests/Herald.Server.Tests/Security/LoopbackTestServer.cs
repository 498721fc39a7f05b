using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Server.Tests.Security;

/// <summary>
/// TestServer leaves Connection.RemoteIpAddress null, which local-development mode (rightly) does not treat as
/// loopback. Hosts that want to exercise local-development mode register this filter, e.g. in a
/// WebApplicationFactory: <c>builder.ConfigureServices(s => s.AddSingleton&lt;IStartupFilter, LoopbackRemoteAddress&gt;())</c>.
/// </summary>
public sealed class LoopbackRemoteAddress : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            context.Connection.RemoteIpAddress ??= IPAddress.Loopback;
            return nextMiddleware(context);
        });
        next(app);
    };

    public static void AddTo(IServiceCollection services) => services.AddSingleton<IStartupFilter, LoopbackRemoteAddress>();
}
