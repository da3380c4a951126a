package federation

import (
	"net"
	"testing"
)

func TestAddressAllowed(t *testing.T) {
	s := &Service{}
	for _, tc := range []struct {
		ip   string
		want bool
	}{
		{"93.184.216.34", true}, {"2606:4700::1111", true},
		{"127.0.0.1", false}, {"10.1.2.3", false}, {"192.168.1.1", false}, {"172.16.0.1", false},
		{"169.254.169.254", false}, {"0.0.0.0", false}, {"0.1.2.3", false}, {"100.64.0.1", false},
		{"192.0.0.8", false}, {"198.18.0.1", false}, {"198.19.255.255", false}, {"240.0.0.1", false},
		{"255.255.255.255", false}, {"64:ff9b::7f00:1", false}, {"64:ff9b::a00:1", false},
		{"::1", false}, {"fe80::1", false}, {"fc00::1", false}, {"::", false},
	} {
		t.Run(tc.ip, func(t *testing.T) {
			if got := s.addressAllowed(net.ParseIP(tc.ip)); got != tc.want {
				t.Errorf("addressAllowed(%s) = %v, want %v", tc.ip, got, tc.want)
			}
		})
	}
}
