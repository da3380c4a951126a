package web

import (
	"fmt"
	"math"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/citizen-network/commonplace/library/ratelimit"
)

// DefaultQueryLimit is each anonymous client's budget for the costly queries
// (searches, matches, feeds): a person reading pages never comes near it, a
// script that walks the index is slowed to it.
var DefaultQueryLimit = ratelimit.Limits{Rate: 10, Burst: 30}

// limitQueries spends the budget of anonymous clients on the costly queries,
// by client address (an IPv6 /64): staff logged in and requests with a valid
// API token are not limited. Over budget, a client gets 429 with Retry-After
// and the query does not run. Put it after optionalToken, which says who the
// token is.
func (s *Server) limitQueries(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.queries.Unlimited() || account(c) != nil || principal(c) != nil {
			return next(c)
		}
		ok, wait := s.queries.Allow(ratelimit.ClientKey(c.RealIP()))
		if ok {
			return next(c)
		}
		secs := max(1, int(math.Ceil(wait.Seconds())))
		c.Response().Header().Set("Retry-After", strconv.Itoa(secs))
		l := s.queries.Limits()
		return echo.NewHTTPError(http.StatusTooManyRequests, fmt.Sprintf(
			"too many searches, matches or feeds from your address: at most %g a second, in bursts of %d; try again in %d s",
			l.Rate, l.Burst, secs))
	}
}
