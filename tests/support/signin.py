"""django-axes in tests: django.test.Client.login() authenticates without a request."""

from axes.backends import AxesStandaloneBackend


class AxesBackendForTestClient(AxesStandaloneBackend):
    """Like production's backend, except that Client.login() (which passes no request, so
    there is no address to throttle) is let through to ModelBackend instead of raising
    AxesBackendRequestParameterRequired. Every sign-in over HTTP is throttled as in production."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
